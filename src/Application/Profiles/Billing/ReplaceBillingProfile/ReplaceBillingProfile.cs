using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Application.Common.Preconditions;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Profiles.Billing.ReplaceBillingProfile;

/// <summary>Bank information as a client sent it: an IBAN, or a US routing number with an account number; never both.</summary>
public sealed record BankInformationInput(string? AccountHolderName, string? Iban, string? RoutingNumber, string? AccountNumber, string? SwiftBic)
{
    internal bool HasIban => !string.IsNullOrWhiteSpace(Iban);

    internal bool HasUsAccount => !string.IsNullOrWhiteSpace(RoutingNumber) || !string.IsNullOrWhiteSpace(AccountNumber);

    /// <summary>The stored form: the numbers go through <paramref name="protector"/> and only their last four characters stay readable.</summary>
    public StoredBankInformation ToStored(ISecretProtector protector)
    {
        var holder = AccountHolderName!.Trim();
        var swiftBic = AddressInput.Blank(SwiftBic);
        if (HasIban)
        {
            var iban = Domain.Common.Iban.Normalize(Iban!);
            return new StoredBankInformation(holder, protector.Protect(iban), null, null, swiftBic, iban[^4..]);
        }

        var accountNumber = AccountNumber!.Trim();
        return new StoredBankInformation(holder, null, RoutingNumber!.Trim(), protector.Protect(accountNumber), swiftBic, accountNumber[^4..]);
    }
}

public sealed class BankInformationInputValidator : AbstractValidator<BankInformationInput>
{
    public BankInformationInputValidator()
    {
        RuleFor(b => b.AccountHolderName).NotEmpty().MaximumLength(FieldLimits.AccountHolder);
        RuleFor(b => b.Iban).Must(Iban.IsValid).When(b => b.HasIban)
            .WithMessage("'Iban' must be a valid IBAN: a country code, two check digits that match (ISO 7064 mod 97-10) and up to 30 letters or digits.");
        RuleFor(b => b.RoutingNumber).Must(r => UsBankAccount.IsValidRoutingNumber(r!.Trim())).When(b => !string.IsNullOrWhiteSpace(b.RoutingNumber))
            .WithMessage("'Routing Number' must be a 9-digit ABA routing number with a valid checksum.");
        RuleFor(b => b.RoutingNumber).NotEmpty().When(b => !b.HasIban && !string.IsNullOrWhiteSpace(b.AccountNumber))
            .WithMessage("'Routing Number' is required with an account number.");
        RuleFor(b => b.AccountNumber).Must(a => UsBankAccount.IsValidAccountNumber(a!.Trim())).When(b => !string.IsNullOrWhiteSpace(b.AccountNumber))
            .WithMessage($"'Account Number' must be 4 to {FieldLimits.BankAccountNumber} digits.");
        RuleFor(b => b.AccountNumber).NotEmpty().When(b => !b.HasIban && !string.IsNullOrWhiteSpace(b.RoutingNumber))
            .WithMessage("'Account Number' is required with a routing number.");
        RuleFor(b => b.SwiftBic).Must(SwiftBic.IsValid).When(b => !string.IsNullOrWhiteSpace(b.SwiftBic))
            .WithMessage("'Swift Bic' must be a SWIFT/BIC code of 8 or 11 upper-case letters and digits, such as DEUTDEFF or DEUTDEFF500.");
    }
}

/// <summary>
/// Replaces the billing profile (If-Match); bank information null removes it, unless <paramref name="KeepBankInformation"/>
/// (Partner Center's billing profile, which has no bank information, keeps the current one).
/// </summary>
public sealed record ReplaceBillingProfileCommand(
    Guid AccountId,
    IfMatch IfMatch,
    AddressInput? Address,
    string? PurchaseOrderNumber,
    string? TaxId,
    BankInformationInput? BankInformation,
    bool KeepBankInformation = false) : ICommand<Result<Versioned<BillingProfileDto>>>, IConditionalRequest
{
    public ConditionalResource Resource => ConditionalResource.BillingProfile;

    public Guid ResourceId => Guid.Empty;

    public Permission RequiredPermission => Permission.BillingWrite;
}

public sealed class ReplaceBillingProfileCommandValidator : AbstractValidator<ReplaceBillingProfileCommand>
{
    public ReplaceBillingProfileCommandValidator()
    {
        RuleFor(c => c.Address).NotNull().SetValidator(new AddressInputValidator()!);
        RuleFor(c => c.PurchaseOrderNumber).MaximumLength(FieldLimits.PurchaseOrderNumber);
        RuleFor(c => c.TaxId).MaximumLength(FieldLimits.TaxId);
        RuleFor(c => c.BankInformation).SetValidator(new BankInformationInputValidator()!);
        RuleFor(c => c.BankInformation)
            .Must(b => b!.HasIban != b.HasUsAccount)
            .When(c => c.BankInformation is not null)
            .WithMessage("Give exactly one of: iban, or routingNumber with accountNumber.");
    }
}

public sealed class ReplaceBillingProfileHandler(IAppDbContext db, IClock clock, AuditTrail audit, ISecretProtector protector)
    : ICommandHandler<ReplaceBillingProfileCommand, Result<Versioned<BillingProfileDto>>>
{
    public async ValueTask<Result<Versioned<BillingProfileDto>>> Handle(ReplaceBillingProfileCommand command, CancellationToken cancellationToken)
    {
        var loaded = await db.ForWriteAsync<BillingProfile>(command.AccountId, command.IfMatch, cancellationToken);
        if (!loaded.IsSuccess)
        {
            return loaded.Error!;
        }

        var profile = loaded.Value;

        // The snapshots are the masked read models: the audit trail never holds a bank number in full.
        var before = BillingProfileDto.From(profile);
        profile.Replace(
            command.Address!.ToDomain(),
            AddressInput.Blank(command.PurchaseOrderNumber),
            AddressInput.Blank(command.TaxId),
            command.KeepBankInformation ? profile.BankInformation : command.BankInformation?.ToStored(protector),
            clock.UtcNow);
        var after = BillingProfileDto.From(profile);
        audit.Record(command.AccountId, "updated", "profiles/billing", null, before, after);

        var saved = await db.SaveAsync(cancellationToken);
        return saved.IsSuccess ? new Versioned<BillingProfileDto>(after, profile.Version) : saved.Error!;
    }
}
