using Mediator;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Programs;

namespace PartnerAccounts.Application.Programs.GetProgram;

public sealed record GetProgramQuery(string ProgramId) : IQuery<Result<ProgramDto>>;

public sealed class GetProgramHandler : IQueryHandler<GetProgramQuery, Result<ProgramDto>>
{
    public ValueTask<Result<ProgramDto>> Handle(GetProgramQuery query, CancellationToken cancellationToken) =>
        new(ProgramCatalogue.Find(query.ProgramId) is { } program ? ProgramDto.From(program) : ProgramErrors.ProgramNotFound);
}
