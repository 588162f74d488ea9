using Mediator;
using DomainRoles = PartnerAccounts.Domain.Users.Roles;

namespace PartnerAccounts.Application.RoleManagement.ListRoles;

/// <summary>The role catalogue: every role, its settings area and the permissions it grants.</summary>
public sealed record ListRolesQuery : IQuery<IReadOnlyList<RoleDto>>;

public sealed class ListRolesHandler : IQueryHandler<ListRolesQuery, IReadOnlyList<RoleDto>>
{
    private static readonly IReadOnlyList<RoleDto> Catalogue = [.. DomainRoles.All.Select(RoleDto.From)];

    public ValueTask<IReadOnlyList<RoleDto>> Handle(ListRolesQuery query, CancellationToken cancellationToken) => new(Catalogue);
}
