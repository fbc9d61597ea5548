import type { AuditListQuery } from '@app/contracts';

import { PageQueryDto } from '../../common/page-query.dto';

export class ListAuditQueryDto extends PageQueryDto implements AuditListQuery {}
