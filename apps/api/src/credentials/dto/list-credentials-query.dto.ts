import { Transform } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

import { CREDENTIAL_SORTS, CredentialListQuery, CredentialSort } from '@app/contracts';
import { CREDENTIAL_STATUSES, CredentialStatus } from '@app/deck';

import { IsOptionalNotNull } from '../../common/optional-field';

/** `status=a&status=b` and `status=a,b` both give `[a, b]`; anything else is left for validation to refuse. */
function toStringList({ value }: { value: unknown }): unknown {
  const parts = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(parts) || !parts.every((p) => typeof p === 'string')) {
    return value;
  }
  return parts.flatMap((p: string) => p.split(',')).filter((p) => p !== '');
}

/** Only plain decimal digits become a number: `1e9`, `-1`, `0x10` and `NaN` stay strings and are refused. */
function toLimit({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : value;
}

/** GET /api/credentials: every value checked against an allowlist or a type; nothing reaches SQL unparameterised. */
export class ListCredentialsQueryDto implements CredentialListQuery {
  /** One or more of unverified, verified, invalid, deleted (repeat the parameter or separate with commas). */
  @IsOptionalNotNull()
  @Transform(toStringList)
  @IsArray()
  @IsIn(CREDENTIAL_STATUSES, { each: true, message: `status must be among ${CREDENTIAL_STATUSES.join(', ')}` })
  status?: CredentialStatus[];

  @IsOptionalNotNull()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  source_id?: string;

  @IsOptionalNotNull()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  external_id?: string;

  /** Free text over external_id, the masked username and Deck's id. */
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(200)
  q?: string;

  /** A column, `-` for newest/latest first; default `-created_at`. */
  @IsOptionalNotNull()
  @IsIn(CREDENTIAL_SORTS, { message: `sort must be one of ${CREDENTIAL_SORTS.join(', ')}` })
  sort?: CredentialSort;

  /** 1–100, default 50. */
  @IsOptionalNotNull()
  @Transform(toLimit)
  @IsInt({ message: 'limit must be a whole number from 1 to 100' })
  @Min(1)
  @Max(100)
  limit?: number;

  /** `next_cursor` from the previous page, with the same filters and sort. */
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(1000)
  cursor?: string;
}
