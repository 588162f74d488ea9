using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Application.Audit.ListAuditRecords;
using Riok.Mapperly.Abstractions;

namespace PartnerAccounts.Api.Mapping;

/// <summary>Version 1 audit contracts from the application's read models.</summary>
[Mapper(EnumMappingStrategy = EnumMappingStrategy.ByName, RequiredMappingStrategy = RequiredMappingStrategy.Target)]
public static partial class AuditMapper
{
    public static partial AuditRecordResponse ToResponse(this AuditRecordDto record);
}
