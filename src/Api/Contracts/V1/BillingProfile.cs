using System.ComponentModel.DataAnnotations;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Api.Contracts.V1;

/// <summary>The billing profile; a full replace: leaving out <c>bankInformation</c> (or sending null) removes it.</summary>
public sealed record BillingProfileRequest
{
    [Required]
    public Address? Address { get; init; }

    [MaxLength(FieldLimits.PurchaseOrderNumber)]
    public string? PurchaseOrderNumber { get; init; }

    [MaxLength(FieldLimits.TaxId)]
    public string? TaxId { get; init; }

    public BankInformationRequest? BankInformation { get; init; }
}

/// <summary>
/// Bank information: the account holder and EITHER <c>iban</c> OR (US) <c>routingNumber</c> + <c>accountNumber</c>, plus an
/// optional <c>swiftBic</c>. The numbers are stored encrypted and are never returned in full.
/// </summary>
public sealed record BankInformationRequest
{
    [Required, MaxLength(FieldLimits.AccountHolder)]
    public string? AccountHolderName { get; init; }

    /// <summary>International Bank Account Number; spaces and lower case are accepted. The check digits are verified.</summary>
    [MaxLength(FieldLimits.Iban + 8)]
    public string? Iban { get; init; }

    /// <summary>US ABA routing number: 9 digits with a valid checksum. Only with <c>accountNumber</c>, never with <c>iban</c>.</summary>
    [StringLength(FieldLimits.RoutingNumber, MinimumLength = FieldLimits.RoutingNumber), RegularExpression("^[0-9]{9}$")]
    public string? RoutingNumber { get; init; }

    /// <summary>US bank account number: 4 to 17 digits. Only with <c>routingNumber</c>, never with <c>iban</c>.</summary>
    [StringLength(FieldLimits.BankAccountNumber, MinimumLength = 4), RegularExpression("^[0-9]+$")]
    public string? AccountNumber { get; init; }

    /// <summary>SWIFT/BIC code, 8 or 11 upper-case letters and digits.</summary>
    [MaxLength(FieldLimits.SwiftBic), RegularExpression("^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$")]
    public string? SwiftBic { get; init; }
}

public sealed record BillingProfileResponse(Address Address, string? PurchaseOrderNumber, string? TaxId, BankInformationResponse? BankInformation);

/// <summary>
/// Bank information as it is read back: the bank numbers are masked to their last four characters. Exactly one of
/// <c>ibanLast4</c> (IBAN form) and <c>accountNumberLast4</c> (US form, with <c>routingNumber</c>) is set.
/// </summary>
public sealed record BankInformationResponse(
    string AccountHolderName,
    string? IbanLast4,
    string? RoutingNumber,
    string? AccountNumberLast4,
    string? SwiftBic);
