using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Application.Auth;
using PartnerAccounts.Application.Auth.ChangePassword;
using PartnerAccounts.Application.Auth.SignIn;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Application.RoleManagement;
using PartnerAccounts.Application.Users;
using PartnerAccounts.Application.Users.InviteUser;
using PartnerAccounts.Application.Users.UpdateUser;
using Riok.Mapperly.Abstractions;

namespace PartnerAccounts.Api.Mapping;

[Mapper(EnumMappingStrategy = EnumMappingStrategy.ByName, RequiredMappingStrategy = RequiredMappingStrategy.Target)]
[UseStaticMapper(typeof(ContractMapper))]
[UseStaticMapper(typeof(LearnProfilesMapper))]
public static partial class UsersMapper
{
    public static partial InviteUserCommand ToCommand(this InviteUserRequest request, Guid accountId);

    public static partial UpdateUserCommand ToCommand(this UpdateUserRequest request, Guid accountId, Guid userId, IfMatch ifMatch);

    public static partial UserResponse ToResponse(this UserDto user);

    public static partial InvitedUserResponse ToResponse(this InvitedUserDto invited);

    public static partial TemporaryPasswordResponse ToResponse(this TemporaryPasswordDto password);

    public static partial RoleResponse ToResponse(this RoleDto role);

    public static partial RoleMemberResponse ToResponse(this RoleMemberDto member);

    public static partial SignInCommand ToCommand(this SignInRequest request);

    public static SignInResponse ToResponse(this SignInDto signIn, DateTime now) => new(
        signIn.AccessToken,
        "Bearer",
        (int)Math.Max(0, (signIn.ExpiresAt - now).TotalSeconds),
        signIn.ExpiresAt,
        signIn.PasswordChangeRequired);

    public static partial ChangePasswordCommand ToCommand(this ChangePasswordRequest request);

    private static string PermissionName(PartnerAccounts.Domain.Users.Permission permission) =>
        char.ToLowerInvariant(permission.ToString()[0]) + permission.ToString()[1..];
}
