using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Application.Profiles.Billing;
using PartnerAccounts.Application.Profiles.Billing.ReplaceBillingProfile;
using PartnerAccounts.Application.Profiles.LegalBusiness;
using PartnerAccounts.Application.Profiles.LegalBusiness.ReplaceLegalBusinessProfile;
using PartnerAccounts.Application.Profiles.Organization;
using PartnerAccounts.Application.Profiles.Support;
using PartnerAccounts.Application.Profiles.Support.ReplaceSupportProfile;
using Riok.Mapperly.Abstractions;

namespace PartnerAccounts.Api.Mapping;

/// <summary>
/// Partner Center's profile shapes to and from the same commands and read models as the account routes: the rules, audit
/// and permissions stay those of the use cases. Each resource carries Partner Center's <c>profileType</c>, <c>links</c> and
/// <c>attributes</c> (<c>etag</c> = the resource's ETag, <c>objectType</c>).
/// </summary>
[Mapper(EnumMappingStrategy = EnumMappingStrategy.ByName, RequiredMappingStrategy = RequiredMappingStrategy.Target)]
[UseStaticMapper(typeof(ContractMapper))]
public static partial class PartnerCenterMapper
{
    public const string Base = "/v1/profiles/";

    public static PartnerCenterLegalBusinessProfileResponse ToPartnerCenter(this LegalBusinessProfileDto profile, string etag) => new(
        profile.CompanyName,
        ToPartnerCenter(profile.Address),
        ToPartnerCenter(profile.PrimaryContact),
        ApproverAddressOf(profile.CompanyApprover),
        profile.CompanyApprover.Email,
        "legal_business_profile",
        LinksTo("legalbusiness"),
        AttributesOf("LegalBusinessProfile", etag));

    /// <summary>The company approver is a contact here: its email is <c>companyApproverEmail</c>, its names and phone number live in <c>companyApproverAddress</c>.</summary>
    public static ReplaceLegalBusinessProfileCommand ToCommand(this PartnerCenterLegalBusinessProfileRequest request, Guid accountId, IfMatch ifMatch) => new(
        accountId,
        ifMatch,
        request.CompanyName,
        request.Address is null ? null : ToInput(request.Address),
        request.PrimaryContact is null ? null : ToInput(request.PrimaryContact),
        request.CompanyApproverAddress is null && request.CompanyApproverEmail is null
            ? null
            : new ContactInput(request.CompanyApproverAddress?.FirstName, request.CompanyApproverAddress?.LastName, request.CompanyApproverEmail, request.CompanyApproverAddress?.PhoneNumber));

    public static PartnerCenterOrganizationProfileResponse ToPartnerCenter(this OrganizationProfileDto profile, Guid accountId, string etag) => new(
        accountId.ToString(),
        profile.CompanyName,
        ToPartnerCenter(profile.Address),
        TenantId: null,
        Domain: null,
        profile.Email,
        profile.Language,
        profile.Culture,
        "organization_profile",
        LinksTo("organization"),
        AttributesOf("OrganizationProfile", etag));

    public static PartnerCenterSupportProfileResponse ToPartnerCenter(this SupportProfileDto profile, string etag) => new(
        profile.Email, profile.PhoneNumber, profile.Website, "support_profile", LinksTo("support"), AttributesOf("SupportProfile", etag));

    [MapProperty(nameof(PartnerCenterSupportProfileRequest.Telephone), nameof(ReplaceSupportProfileCommand.PhoneNumber))]
    public static partial ReplaceSupportProfileCommand ToCommand(this PartnerCenterSupportProfileRequest request, Guid accountId, IfMatch ifMatch);

    public static PartnerCenterBillingProfileResponse ToPartnerCenter(this BillingProfileDto profile, string etag) => new(
        CompanyName: null,
        ToPartnerCenter(profile.Address),
        PrimaryContact: null,
        profile.PurchaseOrderNumber,
        profile.TaxId,
        BillingDay: null,
        BillingCurrency: null,
        profile.BankInformation is null ? null : ToResponse(profile.BankInformation),
        "billing_profile",
        LinksTo("billing"),
        AttributesOf("BillingProfile", etag));

    /// <summary>Without <c>bankInformation</c> the current bank information is kept: Partner Center's billing profile has none to send.</summary>
    public static ReplaceBillingProfileCommand ToCommand(this PartnerCenterBillingProfileRequest request, Guid accountId, IfMatch ifMatch) => new(
        accountId,
        ifMatch,
        request.Address is null ? null : ToInput(request.Address),
        request.PurchaseOrderNumber,
        request.TaxId,
        request.BankInformation is null ? null : ToInput(request.BankInformation),
        KeepBankInformation: request.BankInformation is null);

    private static partial AddressInput ToInput(PartnerCenterAddress address);

    private static partial ContactInput ToInput(PartnerCenterContact contact);

    private static partial BankInformationInput ToInput(BankInformationRequest bank);

    private static partial BankInformationResponse ToResponse(BankInformationDto bank);

    [MapperIgnoreTarget(nameof(PartnerCenterAddress.Region))]
    [MapperIgnoreTarget(nameof(PartnerCenterAddress.FirstName))]
    [MapperIgnoreTarget(nameof(PartnerCenterAddress.MiddleName))]
    [MapperIgnoreTarget(nameof(PartnerCenterAddress.LastName))]
    [MapperIgnoreTarget(nameof(PartnerCenterAddress.PhoneNumber))]
    private static partial PartnerCenterAddress ToPartnerCenter(AddressDto address);

    private static partial PartnerCenterContact ToPartnerCenter(ContactDto contact);

    private static PartnerCenterAddress ApproverAddressOf(ContactDto approver) =>
        new() { FirstName = approver.FirstName, LastName = approver.LastName, PhoneNumber = approver.PhoneNumber };

    private static PartnerCenterLinks LinksTo(string profile) =>
        new() { Self = new PartnerCenterLink { Uri = Base + profile, Method = "GET", Headers = [] } };

    private static PartnerCenterAttributes AttributesOf(string objectType, string etag) => new() { Etag = etag, ObjectType = objectType };
}
