using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Application.TaxExemptions;
using PartnerAccounts.Application.TaxExemptions.AddTaxExemption;
using Riok.Mapperly.Abstractions;

namespace PartnerAccounts.Api.Mapping;

/// <summary>Version 1 tax exemption contracts to and from the application's commands and read models.</summary>
[Mapper(EnumMappingStrategy = EnumMappingStrategy.ByName, RequiredMappingStrategy = RequiredMappingStrategy.Target)]
public static partial class TaxExemptionsMapper
{
    public static partial TaxExemptionResponse ToResponse(this TaxExemptionDto exemption);

    public static partial AddTaxExemptionCommand ToCommand(this TaxExemptionRequest request, Guid accountId);
}
