import { ChangeDetectionStrategy, Component, provideZonelessChangeDetection, signal, viewChild } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';

import type { ApiFieldError } from '@app/contracts';

import { LoginDetails, LoginFormComponent } from './login-form.component';

@Component({
  imports: [LoginFormComponent],
  template: `<dh-login-form
    mode="update"
    [lockedSourceId]="locked()"
    [busy]="busy()"
    [fieldErrors]="fieldErrors()"
    (details)="sent.push($event)"
  />`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class HostComponent {
  readonly locked = signal<string | null>('src_bank');
  readonly busy = signal(false);
  readonly fieldErrors = signal<ApiFieldError[]>([]);
  readonly sent: LoginDetails[] = [];
  readonly form = viewChild.required(LoginFormComponent);
}

describe(LoginFormComponent.name, () => {
  let fixture: ComponentFixture<HostComponent>;
  let host: HostComponent;
  let root: HTMLElement;

  function input(testId: string): HTMLInputElement {
    return root.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`)!;
  }

  function type(testId: string, value: string): void {
    input(testId).value = value;
    input(testId).dispatchEvent(new Event('input'));
  }

  async function submit(): Promise<void> {
    root.querySelector<HTMLButtonElement>('[data-testid="login-submit"]')!.click();
    await settle();
  }

  async function settle(): Promise<void> {
    await fixture.whenStable();
    fixture.detectChanges();
    await fixture.whenStable();
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({ imports: [HostComponent], providers: [provideZonelessChangeDetection()] });
    fixture = TestBed.createComponent(HostComponent);
    host = fixture.componentInstance;
    root = fixture.nativeElement as HTMLElement;
    await settle();
  });

  afterEach(() => fixture.destroy());

  it('should send a username, or an e-mail when it has an @, with the locked source', async () => {
    type('login-username', ' user_good ');
    type('login-password', 'pw 1');
    await submit();
    type('login-username', 'ana@example.com');
    type('login-password', 'pw 2');
    await submit();

    expect(host.sent).toEqual([
      { source_id: 'src_bank', username: 'user_good', password: 'pw 1' },
      { source_id: 'src_bank', email: 'ana@example.com', password: 'pw 2' },
    ]);
    expect(root.querySelector('[data-testid="source-select"]')).toBeNull();
  });

  it('should refuse empty fields, say so and focus the first one', async () => {
    await submit();

    expect(host.sent).toEqual([]);
    expect(root.textContent).toContain('Enter the username or e-mail you sign in with.');
    expect(root.textContent).toContain('Enter the password.');
    expect(document.activeElement).toBe(input('login-username'));
  });

  it("should show the api's field errors under their fields until the field is edited", async () => {
    host.fieldErrors.set([
      { field: 'username', message: 'username is too long' },
      { field: 'password', message: 'password must not be blank' },
    ]);
    await settle();

    expect(root.querySelector('[data-testid="login-username-error"]')?.textContent).toContain('username is too long');
    expect(root.querySelector('[data-testid="login-password-error"]')?.textContent).toContain(
      'password must not be blank',
    );

    type('login-username', 'user_good');
    await settle();
    expect(root.querySelector('[data-testid="login-username-error"]')).toBeNull();
  });

  it('should empty the password when asked, and keep the username', async () => {
    type('login-username', 'user_good');
    type('login-password', 'secret');

    host.form().clearPassword();
    await settle();

    expect(input('login-password').value).toBe('');
    expect(input('login-username').value).toBe('user_good');
  });

  it('should not send while busy', async () => {
    type('login-username', 'user_good');
    type('login-password', 'secret');
    host.busy.set(true);
    await settle();

    expect(root.querySelector<HTMLButtonElement>('[data-testid="login-submit"]')!.disabled).toBe(true);
    expect(root.querySelector('[data-testid="login-submit"]')?.textContent).toContain('Saving…');
  });
});
