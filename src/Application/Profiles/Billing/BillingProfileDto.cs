using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Application.Profiles.Billing;


/// <summary>
/// Bank information as it may be shown: the IBAN or account number only as its last four characters
/// (exactly one of <see cref="IbanLast4"/> and <see cref="AccountNumberLast4"/> is set). Also the audit snapshot.
/// </summary>
public sealed record BankInformationDto(string AccountHolderName, string? IbanLast4, string? RoutingNumber, string? AccountNumberLast4, string? SwiftBic)
{
    public static BankInformationDto From(StoredBankInformation b) => new(
        b.AccountHolderName,
        b.ProtectedIban is null ? null : b.Last4,
        b.RoutingNumber,
        b.ProtectedAccountNumber is null ? null : b.Last4,
        b.SwiftBic);
}

public sealed record BillingProfileDto(AddressDto Address, string? PurchaseOrderNumber, string? TaxId, BankInformationDto? BankInformation)
{
    public static BillingProfileDto From(BillingProfile p) => new(
        AddressDto.From(p.Address),
        p.PurchaseOrderNumber,
        p.TaxId,
        p.BankInformation is null ? null : BankInformationDto.From(p.BankInformation));
}
