using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Paging;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.TaxExemptions.ListTaxExemptions;

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
