using Mediator;
using PartnerAccounts.Domain.Programs;

namespace PartnerAccounts.Application.Programs.ListPrograms;


/// <summary>The program catalogue: every program, its settings area, its prerequisites and who may enroll.</summary>
public sealed record ListProgramsQuery : IQuery<IReadOnlyList<ProgramDto>>;

public sealed class ListProgramsHandler : IQueryHandler<ListProgramsQuery, IReadOnlyList<ProgramDto>>
{
    private static readonly IReadOnlyList<ProgramDto> Catalogue = [.. ProgramCatalogue.All.Select(ProgramDto.From)];

    public ValueTask<IReadOnlyList<ProgramDto>> Handle(ListProgramsQuery query, CancellationToken cancellationToken) => new(Catalogue);
}
