using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Tests.Domain;

public sealed class UserRulesTests
{
    private static readonly DateTime Now = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    private static User NewUser() => User.Create(Guid.NewGuid(), " Pat@Example.com ", Now);

    [Test]
    public void Create_ShouldTrimTheEmailAndNormalizeItForLookups()
    {
        var user = NewUser();
        Assert.That(user.Email, Is.EqualTo("Pat@Example.com"));
        Assert.That(user.NormalizedEmail, Is.EqualTo("PAT@EXAMPLE.COM"));
        Assert.That(user.PasswordHash, Is.Null);
    }

    [Test]
    public void RecordFailedSignIn_WhenItIsTheFifthInARow_ShouldLockTheUserOutForAWhile()
    {
        var user = NewUser();
        for (var i = 1; i < SignInPolicy.MaxFailedSignIns; i++)
        {
            user.RecordFailedSignIn(Now);
            Assert.That(user.IsLockedOut(Now), Is.False, $"after {i} failures");
        }

        user.RecordFailedSignIn(Now);

        Assert.That(user.IsLockedOut(Now), Is.True);
        Assert.That(user.IsLockedOut(Now + SignInPolicy.LockoutDuration - TimeSpan.FromSeconds(1)), Is.True);
        Assert.That(user.IsLockedOut(Now + SignInPolicy.LockoutDuration), Is.False);
    }

    [Test]
    public void RecordSuccessfulSignIn_ShouldStartTheFailureCountAgain()
    {
        var user = NewUser();
        for (var i = 1; i < SignInPolicy.MaxFailedSignIns; i++)
        {
            user.RecordFailedSignIn(Now);
        }

        user.RecordSuccessfulSignIn();
        user.RecordFailedSignIn(Now);

        Assert.That(user.IsLockedOut(Now), Is.False);
        Assert.That(user.FailedSignIns, Is.EqualTo(1));
    }

    [Test]
    public void SetTemporaryPassword_ShouldRequireAChangeAndExpire()
    {
        var user = NewUser();
        user.RecordFailedSignIn(Now);

        user.SetTemporaryPassword("hash", Now);

        Assert.That(user.MustChangePassword, Is.True);
        Assert.That(user.FailedSignIns, Is.Zero);
        Assert.That(user.TemporaryPasswordExpired(Now + SignInPolicy.TemporaryPasswordLifetime - TimeSpan.FromSeconds(1)), Is.False);
        Assert.That(user.TemporaryPasswordExpired(Now + SignInPolicy.TemporaryPasswordLifetime), Is.True);

        user.SetPassword("other-hash");

        Assert.That(user.MustChangePassword, Is.False);
        Assert.That(user.TemporaryPasswordExpired(Now + TimeSpan.FromDays(365)), Is.False);
    }

    [Test]
    public void RecordRoleChange_ShouldMoveTheMembersVersion()
    {
        var member = AccountMember.Create(Guid.NewGuid(), Guid.NewGuid(), null, Now);

        member.RecordRoleChange();

        Assert.That(member.Version, Is.EqualTo(2));
    }

    [TestCase(Roles.GlobalAdminId, Permission.GlobalAdminAssign)]
    [TestCase(Roles.UserManagementAdminId, Permission.UsersManage)]
    [TestCase(Roles.AccountAdminId, Permission.RolesAssign)]
    [TestCase("billing-admin", Permission.RolesAssign)]
    [TestCase("marketer", Permission.RolesAssign)]
    public void PermissionToAssign_ShouldGuardDirectoryRolesMoreStrictly(string roleId, Permission expected) =>
        Assert.That(Roles.PermissionToAssign(Roles.Find(roleId)!), Is.EqualTo(expected));

    [Test]
    public void Grants_ShouldFollowTheRoleToPermissionMap()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Roles.Grants([Roles.GlobalAdminId], Permission.GlobalAdminAssign), Is.True);
            Assert.That(Roles.Grants([Roles.UserManagementAdminId], Permission.GlobalAdminAssign), Is.False);
            Assert.That(Roles.Grants([Roles.AccountAdminId], Permission.UsersManage), Is.False);
            Assert.That(Roles.Grants([Roles.MpnPartnerAdminId], Permission.RolesAssign), Is.False);
            Assert.That(Roles.Grants([Roles.MpnPartnerAdminId], Permission.UsersRead), Is.True);
            Assert.That(Roles.Grants(["sales-agent", "billing-admin"], Permission.BillingWrite), Is.True);
            Assert.That(Roles.Grants(["no-such-role"], Permission.ProfileRead), Is.False);
            Assert.That(Roles.Grants([], Permission.ProfileRead), Is.False);
        });
    }
}
