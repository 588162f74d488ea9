using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Auth;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Application.Common.Persistence;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Accounts.CreateAccount;

/// <summary>Enrolls a company: the caller becomes its first Global admin.</summary>
public sealed record CreateAccountCommand(string? LegalName, AddressInput? Address, ContactInput? PrimaryContact, string? DisplayName)
    : ICommand<Result<AccountSummaryDto>>;

public sealed class CreateAccountCommandValidator : AbstractValidator<CreateAccountCommand>
{
    public CreateAccountCommandValidator()
    {
        RuleFor(c => c.LegalName).NotEmpty().MaximumLength(FieldLimits.CompanyName);
        RuleFor(c => c.DisplayName).MaximumLength(FieldLimits.CompanyName);
        RuleFor(c => c.Address).NotNull().SetValidator(new AddressInputValidator()!);
        RuleFor(c => c.PrimaryContact).NotNull().SetValidator(new ContactInputValidator()!);
    }
}

public sealed class CreateAccountHandler(IAppDbContext db, ICurrentUser user, IClock clock, IMpnIdIssuer mpnIds, AuditTrail audit)
    : ICommandHandler<CreateAccountCommand, Result<AccountSummaryDto>>
{
    internal const string DefaultLanguage = "en";
    internal const string DefaultCulture = "en-US";

    public async ValueTask<Result<AccountSummaryDto>> Handle(CreateAccountCommand command, CancellationToken cancellationToken)
    {
        if (user.Email is null || !EmailAddress.IsValid(user.Email))
        {
            return Error.BusinessRule("work_email_required", "Your identity has no valid email address to make you the account's Global admin.");
        }

        // MPN IDs are random; two creations racing for the same one lose only the unique-key race and retry with fresh IDs.
        var created = await db.SaveWithRetriesAsync(ct => AddAccountAsync(command, ct), SaveRetries.UniqueConflict, cancellationToken);
        return created.IsSuccess ? (await AccountSummaries.LoadAsync(db, created.Value, cancellationToken))! : created.Error!;
    }

    private async Task<Result<Guid>> AddAccountAsync(CreateAccountCommand command, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var accountId = Ids.NewVersion7();
        var address = command.Address!.ToDomain();
        var contact = command.PrimaryContact!.ToDomain();
        var legalName = command.LegalName!.Trim();

        var account = Account.Create(accountId, await mpnIds.NextAsync(cancellationToken), now);
        var headquarters = Location.Create(Ids.NewVersion7(), accountId, "Headquarters", address, await mpnIds.NextAsync(cancellationToken), now);

        db.Accounts.Add(account);
        db.MpnRegistrations.Add(MpnRegistration.ForAccount(account.MpnId, accountId));
        db.Locations.Add(headquarters);
        db.MpnRegistrations.Add(MpnRegistration.ForLocation(headquarters.MpnId, accountId, headquarters.Id));
        var legal = LegalBusinessProfile.Create(accountId, legalName, address, contact, contact, now);
        db.LegalBusinessProfiles.Add(legal);
        db.OrganizationProfiles.Add(OrganizationProfile.Create(
            accountId, AddressInput.Blank(command.DisplayName) ?? legalName, contact.Email, DefaultLanguage, DefaultCulture, address, now));
        db.SupportProfiles.Add(SupportProfile.Create(accountId, null, now));
        db.BillingProfiles.Add(BillingProfile.Create(accountId, address, now));
        db.BusinessProfiles.Add(BusinessProfile.Create(accountId, now));

        // A local sign-in makes its own credential the Global admin (the holder proved it); the external authority's person gets
        // their own directory row, issued by no account (docs/adr/0006-identity-model.md).
        var email = user.Email!;
        var normalized = EmailAddress.Normalize(email);
        var person = user.Credential is null
            ? await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == normalized && u.IssuedByAccountId == null, cancellationToken)
            : await Callers.RowsOf(db, user).FirstOrDefaultAsync(cancellationToken);
        if (person is null && user.Credential is not null)
        {
            return new Error(ErrorKind.Unauthorized, "unauthenticated", "This token was retired (password changed or reset); sign in again.");
        }

        if (person is null)
        {
            person = User.Create(Ids.NewVersion7(), email, now);
            db.Users.Add(person);
        }

        db.AccountMembers.Add(AccountMember.Create(accountId, person.Id, null, now));
        db.RoleAssignments.Add(RoleAssignment.Create(accountId, person.Id, Roles.GlobalAdminId, now));

        audit.Record(accountId, "created", "account", accountId.ToString(), null, new { account.MpnId, legalName, headquartersMpnId = headquarters.MpnId });
        audit.Record(accountId, "roleAssigned", "users/roles", person.Id.ToString(), null, new { userId = person.Id, email = person.Email, roleId = Roles.GlobalAdminId });
        return accountId;
    }
}
