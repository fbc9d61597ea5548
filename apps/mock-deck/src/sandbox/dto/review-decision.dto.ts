import { IsDefined, IsIn } from 'class-validator';

export class ReviewDecisionDto {
  /** `approve` completes the run; `reject` fails it with `review_rejected`. */
  @IsDefined()
  @IsIn(['approve', 'reject'])
  decision!: 'approve' | 'reject';
}
