using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Application.Profiles.Billing;
using PartnerAccounts.Application.Profiles.Billing.ReplaceBillingProfile;
using Riok.Mapperly.Abstractions;

namespace PartnerAccounts.Api.Mapping;

/// <summary>Version 1 billing profile contracts to and from the application's commands and read models.</summary>
[Mapper(EnumMappingStrategy = EnumMappingStrategy.ByName, RequiredMappingStrategy = RequiredMappingStrategy.Target)]
[UseStaticMapper(typeof(ContractMapper))]
public static partial class BillingMapper
{
    public static partial BillingProfileResponse ToResponse(this BillingProfileDto profile);

    [MapperIgnoreTarget(nameof(ReplaceBillingProfileCommand.KeepBankInformation))]
    public static partial ReplaceBillingProfileCommand ToCommand(this BillingProfileRequest request, Guid accountId, IfMatch ifMatch);

    private static partial BankInformationResponse ToResponse(BankInformationDto bank);

    private static partial BankInformationInput ToInput(BankInformationRequest bank);
}
