using Mediator;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Programs;

namespace PartnerAccounts.Application.Programs.ListPrograms;

/// <summary>The program catalogue: every program, its settings area, its prerequisites and who may enroll.</summary>
public sealed record ListProgramsQuery : IQuery<IReadOnlyList<ProgramDto>>;

public sealed class ListProgramsHandler : IQueryHandler<ListProgramsQuery, IReadOnlyList<ProgramDto>>
{
    private static readonly IReadOnlyList<ProgramDto> Catalogue = [.. ProgramCatalogue.All.Select(ProgramDto.From)];

    public ValueTask<IReadOnlyList<ProgramDto>> Handle(ListProgramsQuery query, CancellationToken cancellationToken) => new(Catalogue);
}

public sealed record GetProgramQuery(string ProgramId) : IQuery<Result<ProgramDto>>;

public sealed class GetProgramHandler : IQueryHandler<GetProgramQuery, Result<ProgramDto>>
{
    public ValueTask<Result<ProgramDto>> Handle(GetProgramQuery query, CancellationToken cancellationToken) =>
        new(ProgramCatalogue.Find(query.ProgramId) is { } program ? ProgramDto.From(program) : ProgramErrors.ProgramNotFound);
}
