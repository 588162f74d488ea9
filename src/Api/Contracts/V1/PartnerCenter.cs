using System.ComponentModel.DataAnnotations;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Api.Contracts.V1;

// Partner Center's profile resources (its REST API and its .NET SDK's Microsoft.Store.PartnerCenter.Models.Partners), field for
// field, for the routes under /v1/profiles. Requests declare every member the SDK serializes (it writes PascalCase names and
// nulls; names are matched without regard to case), so its bodies are accepted as they are; members this service does not
// keep are accepted and ignored, as the README's "Coming from Partner Center" lists.

/// <summary>Partner Center's <c>Address</c>. This service keeps the postal fields; <c>region</c>, the names and the phone number are not kept.</summary>
public sealed record PartnerCenterAddress
{
    /// <summary>ISO 3166-1 alpha-2 country code, upper case.</summary>
    [MaxLength(FieldLimits.CountryCode)]
    public string? Country { get; init; }

    [MaxLength(FieldLimits.State)]
    public string? Region { get; init; }

    [MaxLength(FieldLimits.City)]
    public string? City { get; init; }

    [MaxLength(FieldLimits.State)]
    public string? State { get; init; }

    [MaxLength(FieldLimits.AddressLine)]
    public string? AddressLine1 { get; init; }

    [MaxLength(FieldLimits.AddressLine)]
    public string? AddressLine2 { get; init; }

    [MaxLength(FieldLimits.PostalCode)]
    public string? PostalCode { get; init; }

    [MaxLength(FieldLimits.PersonName)]
    public string? FirstName { get; init; }

    [MaxLength(FieldLimits.PersonName)]
    public string? MiddleName { get; init; }

    [MaxLength(FieldLimits.PersonName)]
    public string? LastName { get; init; }

    [MaxLength(FieldLimits.Phone)]
    public string? PhoneNumber { get; init; }
}

/// <summary>Partner Center's <c>Contact</c>.</summary>
public sealed record PartnerCenterContact
{
    [MaxLength(FieldLimits.PersonName)]
    public string? FirstName { get; init; }

    [MaxLength(FieldLimits.PersonName)]
    public string? LastName { get; init; }

    [MaxLength(FieldLimits.Email)]
    public string? Email { get; init; }

    [MaxLength(FieldLimits.Phone)]
    public string? PhoneNumber { get; init; }
}

/// <summary>Partner Center's <c>ResourceLinks</c>: where the resource is read. Sent back on an update, it is ignored.</summary>
public sealed record PartnerCenterLinks
{
    public PartnerCenterLink? Self { get; init; }
}

public sealed record PartnerCenterLink
{
    [MaxLength(2048)]
    public string? Uri { get; init; }

    [MaxLength(16)]
    public string? Method { get; init; }

    [MaxLength(20)]
    public IReadOnlyList<PartnerCenterLinkHeader>? Headers { get; init; }
}

public sealed record PartnerCenterLinkHeader
{
    [MaxLength(256)]
    public string? Key { get; init; }

    [MaxLength(4096)]
    public string? Value { get; init; }
}

/// <summary>
/// Partner Center's <c>ResourceAttributes</c>: <c>etag</c> is the resource's <c>ETag</c> (send it back with an update, or send
/// <c>If-Match</c>), <c>objectType</c> names the resource.
/// </summary>
public sealed record PartnerCenterAttributes
{
    [MaxLength(64)]
    public string? Etag { get; init; }

    [MaxLength(64)]
    public string? ObjectType { get; init; }
}

/// <summary>Partner Center's <c>LegalBusinessProfile</c>. The company approver is <c>companyApproverEmail</c> with the names and phone number of <c>companyApproverAddress</c>.</summary>
public sealed record PartnerCenterLegalBusinessProfileRequest
{
    [MaxLength(FieldLimits.CompanyName)]
    public string? CompanyName { get; init; }

    public PartnerCenterAddress? Address { get; init; }

    public PartnerCenterContact? PrimaryContact { get; init; }

    public PartnerCenterAddress? CompanyApproverAddress { get; init; }

    [MaxLength(FieldLimits.Email)]
    public string? CompanyApproverEmail { get; init; }

    /// <summary>Read-only in this service (verification is decided by operators): ignored.</summary>
    [MaxLength(64)]
    public string? VettingStatus { get; init; }

    /// <summary>Read-only in this service: ignored.</summary>
    [MaxLength(64)]
    public string? VettingSubStatus { get; init; }

    [MaxLength(64)]
    public string? ProfileType { get; init; }

    public PartnerCenterLinks? Links { get; init; }

    public PartnerCenterAttributes? Attributes { get; init; }
}

public sealed record PartnerCenterLegalBusinessProfileResponse(
    string CompanyName,
    PartnerCenterAddress Address,
    PartnerCenterContact PrimaryContact,
    PartnerCenterAddress CompanyApproverAddress,
    string CompanyApproverEmail,
    string ProfileType,
    PartnerCenterLinks Links,
    PartnerCenterAttributes Attributes);

/// <summary>Partner Center's <c>OrganizationProfile</c>; <c>id</c> is the account id.</summary>
public sealed record PartnerCenterOrganizationProfileResponse(
    string Id,
    string CompanyName,
    PartnerCenterAddress DefaultAddress,
    string? TenantId,
    string? Domain,
    string Email,
    string Language,
    string Culture,
    string ProfileType,
    PartnerCenterLinks Links,
    PartnerCenterAttributes Attributes);

/// <summary>Partner Center's <c>SupportProfile</c>: at least one of email, telephone and website.</summary>
public sealed record PartnerCenterSupportProfileRequest
{
    [MaxLength(FieldLimits.Email)]
    public string? Email { get; init; }

    [MaxLength(FieldLimits.Phone)]
    public string? Telephone { get; init; }

    /// <summary>An absolute http or https URL.</summary>
    [MaxLength(FieldLimits.Url)]
    public string? Website { get; init; }

    [MaxLength(64)]
    public string? ProfileType { get; init; }

    public PartnerCenterLinks? Links { get; init; }

    public PartnerCenterAttributes? Attributes { get; init; }
}

public sealed record PartnerCenterSupportProfileResponse(
    string? Email,
    string? Telephone,
    string? Website,
    string ProfileType,
    PartnerCenterLinks Links,
    PartnerCenterAttributes Attributes);

/// <summary>
/// Partner Center's <c>BillingProfile</c>, plus this service's <c>bankInformation</c>. An update without <c>bankInformation</c>
/// keeps the bank information (Partner Center's clients do not know it); with it, it is replaced. <c>companyName</c>,
/// <c>primaryContact</c>, <c>billingDay</c> and <c>billingCurrency</c> are not kept by this service.
/// </summary>
public sealed record PartnerCenterBillingProfileRequest
{
    [MaxLength(FieldLimits.CompanyName)]
    public string? CompanyName { get; init; }

    public PartnerCenterAddress? Address { get; init; }

    public PartnerCenterContact? PrimaryContact { get; init; }

    [MaxLength(FieldLimits.PurchaseOrderNumber)]
    public string? PurchaseOrderNumber { get; init; }

    [MaxLength(FieldLimits.TaxId)]
    public string? TaxId { get; init; }

    [Range(1, 31)]
    public int? BillingDay { get; init; }

    [MaxLength(3)]
    public string? BillingCurrency { get; init; }

    /// <summary>New bank information, in full (as on the account route); leave it out to keep the current one.</summary>
    public BankInformationRequest? BankInformation { get; init; }

    [MaxLength(64)]
    public string? ProfileType { get; init; }

    public PartnerCenterLinks? Links { get; init; }

    public PartnerCenterAttributes? Attributes { get; init; }
}

/// <summary>Partner Center's <c>BillingProfile</c>; <c>bankInformation</c> shows the bank numbers masked to their last four characters.</summary>
public sealed record PartnerCenterBillingProfileResponse(
    string? CompanyName,
    PartnerCenterAddress Address,
    PartnerCenterContact? PrimaryContact,
    string? PurchaseOrderNumber,
    string? TaxId,
    int? BillingDay,
    string? BillingCurrency,
    BankInformationResponse? BankInformation,
    string ProfileType,
    PartnerCenterLinks Links,
    PartnerCenterAttributes Attributes);
