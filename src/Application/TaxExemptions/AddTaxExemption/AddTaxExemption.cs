using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Errors;
using PartnerAccounts.Application.Common.Paging;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.TaxExemptions;

public sealed record TaxExemptionDto(Guid Id, string Country, string CertificateId, DateOnly ExpiresOn, DateTime CreatedAt)
{
    public static TaxExemptionDto From(TaxExemption t) => new(t.Id, t.Country, t.CertificateId, t.ExpiresOn, t.CreatedAt);
}

public static class TaxExemptionErrors
{
    public static readonly Error Exists = Error.Conflict("tax_exemption_exists", "The account already has a tax exemption with this country and certificate id.");
}

/// <summary>The account's tax exemptions in the order they were added (new ones are appended, so paging stays stable).</summary>
public sealed record ListTaxExemptionsQuery(Guid AccountId, PageRequest Page) : IQuery<Result<Page<TaxExemptionDto>>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.ProfileRead;
}

public sealed class ListTaxExemptionsQueryValidator : AbstractValidator<ListTaxExemptionsQuery>
{
    public ListTaxExemptionsQueryValidator() => RuleFor(q => q.Page).SetValidator(new PageRequestValidator());
}

public sealed class ListTaxExemptionsHandler(IAppDbContext db, IContinuationTokens tokens)
    : IQueryHandler<ListTaxExemptionsQuery, Result<Page<TaxExemptionDto>>>
{
    public async ValueTask<Result<Page<TaxExemptionDto>>> Handle(ListTaxExemptionsQuery query, CancellationToken cancellationToken)
    {
        var scope = "tax-exemptions:" + query.AccountId.ToString("N");
        var page = await db.TaxExemptions.AsNoTracking()
            .Where(t => t.AccountId == query.AccountId)
            .OrderBy(t => t.CreatedAt).ThenBy(t => t.Id)
            .ToOffsetPageAsync(tokens, scope, query.Page, cancellationToken);
        return page.Map(p => p.Map(TaxExemptionDto.From));
    }
}

public sealed record GetTaxExemptionQuery(Guid AccountId, Guid ExemptionId) : IQuery<Result<TaxExemptionDto>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.ProfileRead;
}

public sealed class GetTaxExemptionHandler(IAppDbContext db) : IQueryHandler<GetTaxExemptionQuery, Result<TaxExemptionDto>>
{
    public async ValueTask<Result<TaxExemptionDto>> Handle(GetTaxExemptionQuery query, CancellationToken cancellationToken)
    {
        var exemption = await db.TaxExemptions.AsNoTracking()
            .FirstOrDefaultAsync(t => t.AccountId == query.AccountId && t.Id == query.ExemptionId, cancellationToken);
        return exemption is null ? ProfileErrors.NotFound : TaxExemptionDto.From(exemption);
    }
}

/// <summary>Adds a tax exemption certificate; one country + certificate id pair is held once per account.</summary>
public sealed record AddTaxExemptionCommand(Guid AccountId, string? Country, string? CertificateId, DateOnly? ExpiresOn)
    : ICommand<Result<TaxExemptionDto>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.TaxExemptionsManage;
}

public sealed class AddTaxExemptionCommandValidator : AbstractValidator<AddTaxExemptionCommand>
{
    public AddTaxExemptionCommandValidator(IClock clock)
    {
        RuleFor(c => c.Country).NotEmpty().Must(CountryCode.IsValid).WithMessage("'Country' must be an ISO 3166-1 alpha-2 code in upper case, such as US or DE.");
        RuleFor(c => c.CertificateId).NotEmpty().MaximumLength(FieldLimits.CertificateId);
        RuleFor(c => c.ExpiresOn).NotNull();
        RuleFor(c => c.ExpiresOn).Must(d => d > DateOnly.FromDateTime(clock.UtcNow)).When(c => c.ExpiresOn is not null)
            .WithMessage("'Expires On' must be a date in the future (UTC).");
    }
}

public sealed class AddTaxExemptionHandler(IAppDbContext db, IClock clock, AuditTrail audit)
    : ICommandHandler<AddTaxExemptionCommand, Result<TaxExemptionDto>>
{
    public async ValueTask<Result<TaxExemptionDto>> Handle(AddTaxExemptionCommand command, CancellationToken cancellationToken)
    {
        var country = command.Country!;
        var certificateId = command.CertificateId!.Trim();
        if (await db.TaxExemptions.AnyAsync(t => t.AccountId == command.AccountId && t.Country == country && t.CertificateId == certificateId, cancellationToken))
        {
            return TaxExemptionErrors.Exists;
        }

        var exemption = TaxExemption.Create(Guid.CreateVersion7(), command.AccountId, country, certificateId, command.ExpiresOn!.Value, clock.UtcNow);
        db.TaxExemptions.Add(exemption);
        var dto = TaxExemptionDto.From(exemption);
        audit.Record(command.AccountId, "added", "tax-exemptions", exemption.Id.ToString(), null, dto);

        // The unique index settles two identical adds racing past the check above.
        var saved = await db.SaveAsync(cancellationToken);
        return saved.IsSuccess ? dto : saved.Error!.Code == "unique_conflict" ? TaxExemptionErrors.Exists : saved.Error!;
    }
}

/// <summary>
/// Removes a tax exemption. Exemptions cannot be changed once added (no version, no ETag), so a delete cannot overwrite
/// anyone's edit and needs no If-Match.
/// </summary>
public sealed record RemoveTaxExemptionCommand(Guid AccountId, Guid ExemptionId) : ICommand<Result<Success>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.TaxExemptionsManage;
}

public sealed class RemoveTaxExemptionHandler(IAppDbContext db, AuditTrail audit) : ICommandHandler<RemoveTaxExemptionCommand, Result<Success>>
{
    public async ValueTask<Result<Success>> Handle(RemoveTaxExemptionCommand command, CancellationToken cancellationToken)
    {
        var exemption = await db.TaxExemptions.FirstOrDefaultAsync(t => t.AccountId == command.AccountId && t.Id == command.ExemptionId, cancellationToken);
        if (exemption is null)
        {
            return ProfileErrors.NotFound;
        }

        db.TaxExemptions.Remove(exemption);
        audit.Record(command.AccountId, "removed", "tax-exemptions", exemption.Id.ToString(), TaxExemptionDto.From(exemption), null);
        var saved = await db.SaveAsync(cancellationToken);

        // A concurrent delete won the race: for this caller the exemption is simply gone.
        return saved.IsSuccess || saved.Error!.Kind != ErrorKind.PreconditionFailed ? saved : ProfileErrors.NotFound;
    }
}
