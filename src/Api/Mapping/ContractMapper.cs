using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Application.Accounts;
using PartnerAccounts.Application.Accounts.CreateAccount;
using PartnerAccounts.Application.Accounts.ListMyAccounts;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Application.Profiles.LegalBusiness;
using PartnerAccounts.Application.Profiles.LegalBusiness.ReplaceLegalBusinessProfile;
using PartnerAccounts.Application.Verification;
using PartnerAccounts.Application.Verification.DecideVerification;
using Riok.Mapperly.Abstractions;

namespace PartnerAccounts.Api.Mapping;

/// <summary>Version 1 contracts to and from the application's commands and read models (Mapperly, generated at compile time).</summary>
[Mapper(EnumMappingStrategy = EnumMappingStrategy.ByName, RequiredMappingStrategy = RequiredMappingStrategy.Target)]
public static partial class ContractMapper
{
    public static partial AddressInput ToInput(Address address);

    public static partial ContactInput ToInput(Contact contact);

    public static partial Address ToContract(AddressDto address);

    public static partial Contact ToContract(ContactDto contact);

    public static partial CreateAccountCommand ToCommand(this CreateAccountRequest request);

    public static partial AccountResponse ToResponse(this AccountSummaryDto account);

    public static partial MyAccountResponse ToResponse(this MyAccountDto account);

    public static partial LegalBusinessProfileResponse ToResponse(this LegalBusinessProfileDto profile);

    public static partial ReplaceLegalBusinessProfileCommand ToCommand(this LegalBusinessProfileRequest request, Guid accountId, IfMatch ifMatch);

    public static partial VerificationResponse ToResponse(this VerificationDto verification);

    public static partial DecideVerificationCommand ToCommand(this VerificationDecisionRequest request, Guid accountId);
}
