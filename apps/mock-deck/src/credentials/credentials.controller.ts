import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

import type { DeckCredential, DeckList } from '@app/deck';

import { CurrentOrg } from '../orgs/current-org.decorator';
import type { Organization } from '../orgs/organization.entity';
import { CredentialsService } from './credentials.service';
import { CreateCredentialDto } from './dto/create-credential.dto';
import { ListCredentialsQueryDto } from './dto/list-credentials-query.dto';
import { UpdateCredentialDto } from './dto/update-credential.dto';

@ApiTags('Credentials')
@ApiBearerAuth()
@Controller('v2/credentials')
export class CredentialsController {
  constructor(private readonly credentials: CredentialsService) {}

  /** Stores a credential in the vault; it starts `unverified`. */
  @Post()
  create(@CurrentOrg() org: Organization, @Body() dto: CreateCredentialDto): Promise<DeckCredential> {
    return this.credentials.create(org.id, dto);
  }

  /** Lists credentials, newest first, by source, status and external id. */
  @Get()
  list(@CurrentOrg() org: Organization, @Query() query: ListCredentialsQueryDto): Promise<DeckList<DeckCredential>> {
    return this.credentials.list(org.id, query);
  }

  /** Retrieves a credential (never its password). */
  @Get(':credential_id')
  get(@CurrentOrg() org: Organization, @Param('credential_id') id: string): Promise<DeckCredential> {
    return this.credentials.get(org.id, id);
  }

  /** Updates login details (back to `unverified`) or the external id. */
  @Patch(':credential_id')
  update(
    @CurrentOrg() org: Organization,
    @Param('credential_id') id: string,
    @Body() dto: UpdateCredentialDto,
  ): Promise<DeckCredential> {
    return this.credentials.update(org.id, id, dto);
  }

  /** Deletes the credential from the vault; it stays readable as `deleted`. */
  @Delete(':credential_id')
  remove(@CurrentOrg() org: Organization, @Param('credential_id') id: string): Promise<DeckCredential> {
    return this.credentials.remove(org.id, id);
  }
}
