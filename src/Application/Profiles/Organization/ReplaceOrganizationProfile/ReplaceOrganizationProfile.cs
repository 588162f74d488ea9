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

namespace PartnerAccounts.Application.Profiles.Organization.ReplaceOrganizationProfile;

/// <summary>Replaces the organization profile: the display company name (shown in the account picker), email, language, culture and address.</summary>
public sealed record ReplaceOrganizationProfileCommand(
    Guid AccountId,
    IfMatch IfMatch,
    string? CompanyName,
    string? Email,
    string? Language,
    string? Culture,
    AddressInput? Address) : ICommand<Result<Versioned<OrganizationProfileDto>>>, IConditionalRequest
{
    public ConditionalResource Resource => ConditionalResource.OrganizationProfile;

    public Guid ResourceId => Guid.Empty;

    public Permission RequiredPermission => Permission.OrganizationProfileWrite;
}

public sealed class ReplaceOrganizationProfileCommandValidator : AbstractValidator<ReplaceOrganizationProfileCommand>
{
    public ReplaceOrganizationProfileCommandValidator()
    {
        RuleFor(c => c.CompanyName).NotEmpty().MaximumLength(FieldLimits.CompanyName);
        RuleFor(c => c.Email).NotEmpty().Must(v => EmailAddress.IsValid(v?.Trim())).WithMessage("'Email' must be a valid email address.");
        RuleFor(c => c.Language).NotEmpty().Must(LanguageTag.IsValid)
            .WithMessage($"'Language' must be a language tag such as en or en-GB, at most {FieldLimits.Language} characters.");
        RuleFor(c => c.Culture).NotEmpty().Must(LanguageTag.IsValid)
            .WithMessage($"'Culture' must be a culture name such as en-US, at most {FieldLimits.Language} characters.");
        RuleFor(c => c.Address).NotNull().SetValidator(new AddressInputValidator()!);
    }
}

public sealed class ReplaceOrganizationProfileHandler(IAppDbContext db, IClock clock, AuditTrail audit)
    : ICommandHandler<ReplaceOrganizationProfileCommand, Result<Versioned<OrganizationProfileDto>>>
{
    public async ValueTask<Result<Versioned<OrganizationProfileDto>>> Handle(ReplaceOrganizationProfileCommand command, CancellationToken cancellationToken)
    {
        var loaded = await db.ForWriteAsync<OrganizationProfile>(command.AccountId, command.IfMatch, cancellationToken);
        if (!loaded.IsSuccess)
        {
            return loaded.Error!;
        }

        var profile = loaded.Value;

        var before = OrganizationProfileDto.From(profile);
        profile.Replace(
            command.CompanyName!.Trim(), command.Email!.Trim(), command.Language!, command.Culture!, command.Address!.ToDomain(), clock.UtcNow);
        var after = OrganizationProfileDto.From(profile);
        audit.Record(command.AccountId, "updated", "profiles/organization", null, before, after);

        var saved = await db.SaveAsync(cancellationToken);
        return saved.IsSuccess ? new Versioned<OrganizationProfileDto>(after, profile.Version) : saved.Error!;
    }
}
