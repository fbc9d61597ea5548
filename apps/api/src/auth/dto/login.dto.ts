import { IsDefined, IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

import type { LoginRequest } from '@app/contracts';

export class LoginDto implements LoginRequest {
  @IsDefined()
  @IsEmail({ require_tld: false })
  @MaxLength(254)
  email!: string;

  @IsDefined()
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;
}
