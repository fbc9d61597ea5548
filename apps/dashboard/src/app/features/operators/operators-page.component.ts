import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, OnInit, signal, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatSelectChange, MatSelectModule } from '@angular/material/select';

import { type OperatorView, type Role, ROLES } from '@app/contracts';

import { SessionService } from '../../core/auth/session.service';
import { ApiProblem, describeProblem } from '../../core/http/api-problem';
import { confirmAction } from '../../shared/confirm-dialog.component';
import { RelativeTimePipe } from '../../shared/relative-time.pipe';
import { AuditLogComponent } from './audit-log.component';
import { InviteOperatorComponent } from './invite-operator.component';
import { ROLE_MEANINGS, withArticle } from './operator-roles';
import { OperatorsService } from './operators.service';
import { askNewPassword } from './reset-password-dialog.component';

/** What the api would refuse for a row, so the page does not offer it. */
interface OperatorRow {
  operator: OperatorView;
  self: boolean;
  lastAdmin: boolean;
  /** Why role and removal are locked, or null. */
  locked: string | null;
}

/** Admins: who may sign in and with what role, invitations, and the audit log. */
@Component({
  selector: 'dh-operators-page',
  imports: [
    AuditLogComponent,
    DatePipe,
    InviteOperatorComponent,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatSelectModule,
    RelativeTimePipe,
  ],
  templateUrl: './operators-page.component.html',
  styleUrl: './operators-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OperatorsPageComponent implements OnInit {
  protected readonly roles = ROLES;
  protected readonly meanings = ROLE_MEANINGS;
  protected readonly operators = signal<OperatorView[]>([]);
  protected readonly loaded = signal(false);
  protected readonly loadError = signal<string | null>(null);
  /** The operator a change is being sent for. */
  protected readonly busyId = signal<string | null>(null);
  protected readonly notice = signal<string | null>(null);
  protected readonly problem = signal<string | null>(null);

  protected readonly rows = computed<OperatorRow[]>(() => {
    const selfId = this.session.operator()?.id;
    const admins = this.operators().filter((operator) => operator.role === 'admin').length;
    return this.operators().map((operator) => {
      const self = operator.id === selfId;
      const lastAdmin = operator.role === 'admin' && admins <= 1;
      return {
        operator,
        self,
        lastAdmin,
        locked: lastAdmin ? 'The last admin keeps the admin role.' : self ? 'Another admin changes your role.' : null,
      };
    });
  });
  private readonly audit = viewChild(AuditLogComponent);

  private readonly service = inject(OperatorsService);
  private readonly session = inject(SessionService);
  private readonly dialog = inject(MatDialog);

  ngOnInit(): void {
    void this.loadOperators();
  }

  protected async loadOperators(): Promise<void> {
    this.loadError.set(null);
    try {
      this.operators.set(await this.service.list());
      this.loaded.set(true);
    } catch (problem: unknown) {
      this.loadError.set(describeProblem(problem as ApiProblem));
    }
  }

  protected operatorInvited(operator: OperatorView): void {
    this.operators.update((operators) => [...operators.filter((o) => o.id !== operator.id), operator]);
    void this.audit()?.reload();
  }

  /** On a refusal the select goes back to the role the operator still has. */
  protected async changeRole(operator: OperatorView, change: MatSelectChange<Role>): Promise<void> {
    const role = change.value;
    if (role === operator.role) {
      return;
    }
    this.startChange(operator.id);
    try {
      const updated = await this.service.update(operator.id, { role });
      this.replace(updated);
      this.notice.set(`${updated.email} is now ${withArticle(updated.role)}.`);
      void this.audit()?.reload();
    } catch (problem: unknown) {
      change.source.value = operator.role;
      this.problem.set(
        `${operator.email} is still ${withArticle(operator.role)}: ${describeProblem(problem as ApiProblem)}`,
      );
    } finally {
      this.busyId.set(null);
    }
  }

  protected async resetPassword(row: OperatorRow): Promise<void> {
    const password = await askNewPassword(this.dialog, { email: row.operator.email, self: row.self });
    if (!password) {
      return;
    }
    this.startChange(row.operator.id);
    try {
      await this.service.update(row.operator.id, { password });
      this.notice.set(
        row.self
          ? 'Your password was changed; your other sessions were signed out.'
          : `${row.operator.email} has a new password and was signed out everywhere.`,
      );
      void this.audit()?.reload();
    } catch (problem: unknown) {
      this.problem.set(describeProblem(problem as ApiProblem));
    } finally {
      this.busyId.set(null);
    }
  }

  protected async removeOperator(operator: OperatorView): Promise<void> {
    const confirmed = await confirmAction(this.dialog, {
      title: `Remove ${operator.email}?`,
      message: `${operator.email} is signed out at once and can no longer sign in. Their entries stay in the audit log.`,
      confirm: 'Remove',
      danger: true,
    });
    if (!confirmed) {
      return;
    }
    this.startChange(operator.id);
    try {
      await this.service.remove(operator.id);
      this.operators.update((operators) => operators.filter((o) => o.id !== operator.id));
      this.notice.set(`${operator.email} was removed.`);
      void this.audit()?.reload();
    } catch (problem: unknown) {
      this.problem.set(describeProblem(problem as ApiProblem));
    } finally {
      this.busyId.set(null);
    }
  }

  private startChange(id: string): void {
    this.busyId.set(id);
    this.notice.set(null);
    this.problem.set(null);
  }

  private replace(updated: OperatorView): void {
    this.operators.update((operators) => operators.map((o) => (o.id === updated.id ? updated : o)));
  }
}
