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

namespace PartnerAccounts.Application.Profiles.LegalBusiness.ReplaceLegalBusinessProfile;

/// <summary>Replaces the legal business profile; a new legal name or address puts verification back to pending.</summary>
public sealed record ReplaceLegalBusinessProfileCommand(
    Guid AccountId,
    IfMatch IfMatch,
    string? CompanyName,
    AddressInput? Address,
    ContactInput? PrimaryContact,
    ContactInput? CompanyApprover) : ICommand<Result<Versioned<LegalBusinessProfileDto>>>, IConditionalRequest
{
    public ConditionalResource Resource => ConditionalResource.LegalBusinessProfile;

    public Guid ResourceId => Guid.Empty;

    public Permission RequiredPermission => Permission.LegalProfileWrite;
}

public sealed class ReplaceLegalBusinessProfileCommandValidator : AbstractValidator<ReplaceLegalBusinessProfileCommand>
{
    public ReplaceLegalBusinessProfileCommandValidator()
    {
        RuleFor(c => c.CompanyName).NotEmpty().MaximumLength(FieldLimits.CompanyName);
        RuleFor(c => c.Address).NotNull().SetValidator(new AddressInputValidator()!);
        RuleFor(c => c.PrimaryContact).NotNull().SetValidator(new ContactInputValidator()!);
        RuleFor(c => c.CompanyApprover).NotNull().SetValidator(new ContactInputValidator()!);
    }
}

public sealed class ReplaceLegalBusinessProfileHandler(IAppDbContext db, IClock clock, AuditTrail audit)
    : ICommandHandler<ReplaceLegalBusinessProfileCommand, Result<Versioned<LegalBusinessProfileDto>>>
{
    public async ValueTask<Result<Versioned<LegalBusinessProfileDto>>> Handle(ReplaceLegalBusinessProfileCommand command, CancellationToken cancellationToken)
    {
        var loaded = await db.ForWriteAsync<LegalBusinessProfile>(command.AccountId, command.IfMatch, cancellationToken);
        if (!loaded.IsSuccess)
        {
            return loaded.Error!;
        }

        var profile = loaded.Value;

        var before = LegalBusinessProfileDto.From(profile);
        var now = clock.UtcNow;
        var identityChanged = profile.Replace(
            command.CompanyName!.Trim(), command.Address!.ToDomain(), command.PrimaryContact!.ToDomain(), command.CompanyApprover!.ToDomain(), now);
        var after = LegalBusinessProfileDto.From(profile);
        audit.Record(command.AccountId, "updated", "profiles/legalbusiness", null, before, after);

        if (identityChanged)
        {
            var account = await db.Accounts.FirstAsync(a => a.Id == command.AccountId, cancellationToken);
            var previous = account.VerificationStatus;
            account.RestartVerification(now);
            if (previous != account.VerificationStatus)
            {
                audit.Record(command.AccountId, "verificationRestarted", "verification", null, new { status = previous }, new { status = account.VerificationStatus });
            }
        }

        var saved = await db.SaveAsync(cancellationToken);
        return saved.IsSuccess ? new Versioned<LegalBusinessProfileDto>(after, profile.Version) : saved.Error!;
    }
}
