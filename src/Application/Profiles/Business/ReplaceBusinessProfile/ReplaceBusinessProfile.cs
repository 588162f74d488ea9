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

namespace PartnerAccounts.Application.Profiles.Business.ReplaceBusinessProfile;

/// <summary>Replaces the business (marketing) profile. Every field is optional; a missing list is an empty one.</summary>
public sealed record ReplaceBusinessProfileCommand(
    Guid AccountId,
    IfMatch IfMatch,
    string? Description,
    string? Website,
    IReadOnlyList<string?>? Industries,
    IReadOnlyList<string?>? Products,
    IReadOnlyList<string?>? Services,
    string? LogoUrl) : ICommand<Result<Versioned<BusinessProfileDto>>>, IConditionalRequest
{
    public ConditionalResource Resource => ConditionalResource.BusinessProfile;

    public Guid ResourceId => Guid.Empty;

    public Permission RequiredPermission => Permission.BusinessProfileWrite;
}

public sealed class ReplaceBusinessProfileCommandValidator : AbstractValidator<ReplaceBusinessProfileCommand>
{
    public ReplaceBusinessProfileCommandValidator()
    {
        RuleFor(c => c.Description).MaximumLength(FieldLimits.Description);
        RuleFor(c => c.Website).Must(v => WebUrl.IsValid(v!.Trim())).When(c => !string.IsNullOrWhiteSpace(c.Website))
            .WithMessage($"'Website' must be an absolute http or https URL of at most {FieldLimits.Url} characters.");
        RuleFor(c => c.LogoUrl).Must(v => WebUrl.IsValid(v!.Trim())).When(c => !string.IsNullOrWhiteSpace(c.LogoUrl))
            .WithMessage($"'Logo Url' must be an absolute http or https URL of at most {FieldLimits.Url} characters.");
        ListOfNames(c => c.Industries);
        ListOfNames(c => c.Products);
        ListOfNames(c => c.Services);
    }

    private void ListOfNames(System.Linq.Expressions.Expression<Func<ReplaceBusinessProfileCommand, IEnumerable<string?>?>> list)
    {
        RuleFor(list).Must(items => items is null || items.Count() <= FieldLimits.ListItems)
            .WithMessage($"{{PropertyName}} may hold at most {FieldLimits.ListItems} items.");
        RuleForEach(list!).NotEmpty().MaximumLength(FieldLimits.ListItem);
    }
}

public sealed class ReplaceBusinessProfileHandler(IAppDbContext db, IClock clock, AuditTrail audit)
    : ICommandHandler<ReplaceBusinessProfileCommand, Result<Versioned<BusinessProfileDto>>>
{
    public async ValueTask<Result<Versioned<BusinessProfileDto>>> Handle(ReplaceBusinessProfileCommand command, CancellationToken cancellationToken)
    {
        var loaded = await db.ForWriteAsync<BusinessProfile>(command.AccountId, command.IfMatch, cancellationToken);
        if (!loaded.IsSuccess)
        {
            return loaded.Error!;
        }

        var profile = loaded.Value;

        var before = BusinessProfileDto.From(profile);
        profile.Replace(
            AddressInput.Blank(command.Description),
            AddressInput.Blank(command.Website),
            Items(command.Industries),
            Items(command.Products),
            Items(command.Services),
            AddressInput.Blank(command.LogoUrl),
            clock.UtcNow);
        var after = BusinessProfileDto.From(profile);
        audit.Record(command.AccountId, "updated", "profiles/business", null, before, after);

        var saved = await db.SaveAsync(cancellationToken);
        return saved.IsSuccess ? new Versioned<BusinessProfileDto>(after, profile.Version) : saved.Error!;
    }

    private static IEnumerable<string> Items(IReadOnlyList<string?>? items) => items?.Select(i => i!.Trim()) ?? [];
}
