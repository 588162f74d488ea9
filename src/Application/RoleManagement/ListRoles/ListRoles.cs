using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Paging;
using PartnerAccounts.Application.Common.Persistence;
using PartnerAccounts.Application.Programs;
using PartnerAccounts.Application.Users;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;
using DomainRoles = PartnerAccounts.Domain.Users.Roles;

namespace PartnerAccounts.Application.RoleManagement.ListRoles;

/// <summary>The role catalogue: every role, its settings area and the permissions it grants.</summary>
public sealed record ListRolesQuery : IQuery<IReadOnlyList<RoleDto>>;

public sealed class ListRolesHandler : IQueryHandler<ListRolesQuery, IReadOnlyList<RoleDto>>
{
    private static readonly IReadOnlyList<RoleDto> Catalogue = [.. DomainRoles.All.Select(RoleDto.From)];

    public ValueTask<IReadOnlyList<RoleDto>> Handle(ListRolesQuery query, CancellationToken cancellationToken) => new(Catalogue);
}
