using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Errors;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.TaxExemptions.GetTaxExemption;

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
