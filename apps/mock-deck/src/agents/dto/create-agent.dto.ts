import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class CreateAgentDto {
  /** The agent's name. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name!: string;

  /** What the agent is for. */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;
}
