using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

public sealed class RolesTests : ApiTest
{
    private static readonly (string Id, string Name, string Area)[] Catalogue =
    [
        ("global-admin", "Global admin", "partner"),
        ("user-management-admin", "User management admin", "partner"),
        ("account-admin", "Account admin", "partner"),
        ("mpn-partner-admin", "MPN partner admin", "partner"),
        ("admin-agent", "Admin agent", "partner"),
        ("sales-agent", "Sales agent", "partner"),
        ("helpdesk-agent", "Helpdesk agent", "partner"),
        ("billing-admin", "Billing admin", "partner"),
        ("referrals-admin", "Referrals admin", "partner"),
        ("incentive-admin", "Incentive admin", "partner"),
        ("incentive-user", "Incentive user", "partner"),
        ("manager", "Manager", "developer"),
        ("developer", "Developer", "developer"),
        ("business-contributor", "Business contributor", "developer"),
        ("financial-contributor", "Financial contributor", "developer"),
        ("marketer", "Marketer", "developer"),
    ];

    private static readonly string[] EveryPermission =
    [
        "profileRead", "legalProfileWrite", "organizationProfileWrite", "supportProfileWrite", "businessProfileWrite", "billingRead",
        "billingWrite", "taxExemptionsManage", "locationsManage", "verificationRead", "auditRead", "usersRead", "usersManage",
        "rolesAssign", "globalAdminAssign", "programsEnroll", "apiKeysManage", "accountClose", "webhooksManage",
    ];

    private static string RoleUri(Guid accountId, Guid userId, string roleId) => $"/v1/accounts/{accountId}/users/{userId}/roles/{roleId}";

    private static string MembersUri(Guid accountId, string roleId) => $"/v1/accounts/{accountId}/roles/{roleId}/members";

    private static async Task<HttpResponseMessage> AssignAsync(HttpClient client, Guid accountId, Guid userId, string roleId) =>
        await client.SendAsync(new HttpRequestMessage(HttpMethod.Put, RoleUri(accountId, userId, roleId)));

    private static async Task<HttpResponseMessage> RevokeAsync(HttpClient client, Guid accountId, Guid userId, string roleId) =>
        await client.DeleteAsync(new Uri(RoleUri(accountId, userId, roleId), UriKind.Relative));

    /// <summary>The role ids a user holds, read over HTTP (asserting a 200).</summary>
    private static async Task<List<string>> RolesOfAsync(HttpClient client, Guid accountId, Guid userId)
    {
        using var response = await client.GetAsync(new Uri($"/v1/accounts/{accountId}/users/{userId}/roles", UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return [.. (await ReadJsonAsync(response)).AsArray().Select(r => r!["id"]!.GetValue<string>())];
    }

    /// <summary>The user ids holding a role in the account (one page of 200), read by a platform operator.</summary>
    private static async Task<List<Guid>> MembersOfAsync(Guid accountId, string roleId)
    {
        using var op = AsOperator();
        var page = (await op.GetFromJsonAsync<JsonObject>(MembersUri(accountId, roleId) + "?limit=200"))!;
        return [.. page["items"]!.AsArray().Select(m => m!["userId"]!.GetValue<Guid>())];
    }

    private static async Task<int> AuditCountAsync(Guid accountId, string action, Guid userId, string roleId) =>
        (await AuditLog.ReadAsync(accountId, "users/roles"))
            .Count(r => r.Action == action && r.ResourceId == userId.ToString() && (r.After ?? r.Before ?? string.Empty).Contains(roleId, StringComparison.Ordinal));

    [Test]
    public async Task ListRoles_ShouldReturnEveryRoleOfTheCatalogueWithNameDescriptionAreaAndCamelCasePermissions()
    {
        using var client = As(NewEmail());

        using var response = await client.GetAsync(new Uri("/v1/roles", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var roles = (await ReadJsonAsync(response)).AsArray().Select(r => r!.AsObject()).ToList();
        Assert.That(roles.Select(r => r["id"]!.GetValue<string>()), Is.EquivalentTo(Catalogue.Select(c => c.Id)));
        Assert.Multiple(() =>
        {
            foreach (var (id, name, area) in Catalogue)
            {
                var role = roles.Single(r => r["id"]!.GetValue<string>() == id);
                Assert.That(role["name"]!.GetValue<string>(), Is.EqualTo(name), id);
                Assert.That(role["settingsArea"]!.GetValue<string>(), Is.EqualTo(area), id);
                Assert.That(role["description"]!.GetValue<string>(), Has.Length.GreaterThan(20), id);
                var permissions = role["permissions"]!.AsArray().Select(p => p!.GetValue<string>()).ToList();
                Assert.That(permissions, Is.Not.Empty.And.Unique.And.SubsetOf(EveryPermission), id);
                Assert.That(permissions, Does.Contain("profileRead"), $"{id}: every role reads the account's profiles");
                Assert.That(role["isDirectoryRole"]!.GetValue<bool>(), Is.EqualTo(id is "global-admin" or "user-management-admin"), id);
            }
        });
    }

    [Test]
    public async Task ListRoles_ShouldGrantThePermissionsTheRulesNeed()
    {
        using var client = As(NewEmail());
        var roles = (await client.GetFromJsonAsync<JsonArray>("/v1/roles"))!
            .ToDictionary(r => r!["id"]!.GetValue<string>(), r => r!["permissions"]!.AsArray().Select(p => p!.GetValue<string>()).ToList());

        Assert.Multiple(() =>
        {
            Assert.That(roles["global-admin"], Is.EquivalentTo(EveryPermission));
            Assert.That(roles["user-management-admin"], Is.EquivalentTo(new[] { "profileRead", "usersRead", "usersManage", "rolesAssign" }));
            Assert.That(roles["account-admin"], Does.Contain("rolesAssign").And.Contain("legalProfileWrite").And.Contain("billingWrite"));
            Assert.That(roles["account-admin"], Does.Not.Contain("usersManage").And.Not.Contain("globalAdminAssign"));
            Assert.That(roles["mpn-partner-admin"], Does.Contain("usersRead").And.Not.Contain("rolesAssign").And.Not.Contain("usersManage"));
            Assert.That(roles["billing-admin"], Does.Contain("billingWrite").And.Not.Contain("legalProfileWrite"));
            Assert.That(roles["sales-agent"], Is.EqualTo(new[] { "profileRead" }));
            Assert.That(roles.Where(r => r.Key != "global-admin").SelectMany(r => r.Value), Does.Not.Contain("globalAdminAssign"));
            Assert.That(roles.Where(r => r.Key != "global-admin").SelectMany(r => r.Value), Does.Not.Contain("accountClose"));
            Assert.That(roles.Where(r => r.Value.Contains("webhooksManage")).Select(r => r.Key), Is.EquivalentTo(new[] { "global-admin", "account-admin" }));
            Assert.That(roles.Where(r => r.Key is not ("global-admin" or "user-management-admin")).SelectMany(r => r.Value), Does.Not.Contain("usersManage"));
        });
    }

    [Test]
    public async Task ListRoles_WhenUnauthenticated_ShouldReturn401()
    {
        using var anonymous = Anonymous();
        using var response = await anonymous.GetAsync(new Uri("/v1/roles", UriKind.Relative));
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Test]
    public async Task AssignRole_WhenGlobalAdminAssigns_ShouldReturnTheUsersRolesAndListThemEverywhere()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (member, userId, email) = await NewMemberAsync(admin, accountId, "sales-agent");

        using var response = await AssignAsync(admin, accountId, userId, "billing-admin");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var body = (await ReadJsonAsync(response)).AsArray();
        Assert.That(body.Select(r => r!["id"]!.GetValue<string>()), Is.EqualTo(new[] { "billing-admin", "sales-agent" }));
        Assert.That(body[0]!["permissions"]!.AsArray().Select(p => p!.GetValue<string>()), Does.Contain("billingWrite"));
        Assert.That(await RolesOfAsync(admin, accountId, userId), Is.EqualTo(new[] { "billing-admin", "sales-agent" }));
        Assert.That(await MembersOfAsync(accountId, "billing-admin"), Is.EqualTo(new[] { userId }));
        var picker = (await member.GetFromJsonAsync<JsonObject>("/v1/me/accounts"))!["items"]!.AsArray().Single()!;
        Assert.That(picker["roles"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()), Is.EquivalentTo(new[] { "billing-admin", "sales-agent" }));
        using var get = await admin.GetAsync(new Uri($"/v1/accounts/{accountId}/users/{userId}", UriKind.Relative));
        var user = await ReadJsonAsync(get);
        Assert.That(user["email"]!.GetValue<string>(), Is.EqualTo(email));
        Assert.That(user["roles"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()), Is.EqualTo(new[] { "billing-admin", "sales-agent" }));
    }

    [Test]
    public async Task AssignRole_WhenRepeated_ShouldKeepOneAssignmentAndRecordItOnce()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (_, userId, _) = await NewMemberAsync(admin, accountId);

        using var first = await AssignAsync(admin, accountId, userId, "helpdesk-agent");
        using var second = await AssignAsync(admin, accountId, userId, "helpdesk-agent");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK), await second.Content.ReadAsStringAsync());
        Assert.That(await second.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
        Assert.That(await RolesOfAsync(admin, accountId, userId), Is.EqualTo(new[] { "helpdesk-agent" }));
        Assert.That(await AuditCountAsync(accountId, "roleAssigned", userId, "helpdesk-agent"), Is.EqualTo(1));
    }

    [Test]
    public async Task RemoveRole_WhenHeld_ShouldRevokeItAndRecordIt()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (member, userId, _) = await NewMemberAsync(admin, accountId, "billing-admin", "sales-agent");

        using var response = await RevokeAsync(admin, accountId, userId, "billing-admin");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync());
        Assert.That(await RolesOfAsync(admin, accountId, userId), Is.EqualTo(new[] { "sales-agent" }));
        Assert.That(await MembersOfAsync(accountId, "billing-admin"), Is.Empty);
        Assert.That(await AuditCountAsync(accountId, "roleRemoved", userId, "billing-admin"), Is.EqualTo(1));
        using var billing = await member.GetAsync(new Uri($"/v1/accounts/{accountId}/profiles/billing", UriKind.Relative));
        await AssertProblemAsync(billing, HttpStatusCode.Forbidden, "permission_denied");
    }

    [Test]
    public async Task RemoveRole_WhenRoleIsNotHeld_ShouldReturn204AndRecordNothing()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (_, userId, _) = await NewMemberAsync(admin, accountId, "sales-agent");

        using var response = await RevokeAsync(admin, accountId, userId, "billing-admin");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync());
        Assert.That(await RolesOfAsync(admin, accountId, userId), Is.EqualTo(new[] { "sales-agent" }));
        Assert.That(await AuditCountAsync(accountId, "roleRemoved", userId, "billing-admin"), Is.Zero);
    }

    [Test]
    public async Task AssignOrRemoveRole_WhenRoleIsUnknown_ShouldReturn404RoleNotFound()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (_, userId, _) = await NewMemberAsync(admin, accountId, "sales-agent");

        using var put = await AssignAsync(admin, accountId, userId, "chief-everything-officer");
        using var delete = await RevokeAsync(admin, accountId, userId, "chief-everything-officer");
        using var members = await admin.GetAsync(new Uri(MembersUri(accountId, "chief-everything-officer"), UriKind.Relative));

        await AssertProblemAsync(put, HttpStatusCode.NotFound, "role_not_found");
        await AssertProblemAsync(delete, HttpStatusCode.NotFound, "role_not_found");
        await AssertProblemAsync(members, HttpStatusCode.NotFound, "role_not_found");
        Assert.That(await RolesOfAsync(admin, accountId, userId), Is.EqualTo(new[] { "sales-agent" }));
    }

    [Test]
    public async Task AssignOrRemoveRole_WhenUserIsNotAMember_ShouldReturn404UserNotFound()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (otherAdmin, otherAccountId, _) = await NewAdminWithAccountAsync();
        var (_, outsider, _) = await NewMemberAsync(otherAdmin, otherAccountId, "sales-agent");

        foreach (var userId in new[] { Guid.NewGuid(), outsider })
        {
            using var put = await AssignAsync(admin, accountId, userId, "billing-admin");
            using var delete = await RevokeAsync(admin, accountId, userId, "billing-admin");
            using var roles = await admin.GetAsync(new Uri($"/v1/accounts/{accountId}/users/{userId}/roles", UriKind.Relative));

            await AssertProblemAsync(put, HttpStatusCode.NotFound, "user_not_found");
            await AssertProblemAsync(delete, HttpStatusCode.NotFound, "user_not_found");
            await AssertProblemAsync(roles, HttpStatusCode.NotFound, "user_not_found");
        }

        Assert.That(await RolesOfAsync(otherAdmin, otherAccountId, outsider), Is.EqualTo(new[] { "sales-agent" }));
        Assert.That(await MembersOfAsync(accountId, "billing-admin"), Is.Empty);
    }

    [Test]
    public async Task RoleEndpoints_WhenCallerIsNotAMember_ShouldReturn404AccountNotFound()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (_, userId, _) = await NewMemberAsync(admin, accountId, "sales-agent");
        using var stranger = As(NewEmail("stranger"));

        using var put = await AssignAsync(stranger, accountId, userId, "billing-admin");
        using var delete = await RevokeAsync(stranger, accountId, userId, "sales-agent");
        using var roles = await stranger.GetAsync(new Uri($"/v1/accounts/{accountId}/users/{userId}/roles", UriKind.Relative));
        using var members = await stranger.GetAsync(new Uri(MembersUri(accountId, "sales-agent"), UriKind.Relative));

        await AssertProblemAsync(put, HttpStatusCode.NotFound, "account_not_found");
        await AssertProblemAsync(delete, HttpStatusCode.NotFound, "account_not_found");
        await AssertProblemAsync(roles, HttpStatusCode.NotFound, "account_not_found");
        await AssertProblemAsync(members, HttpStatusCode.NotFound, "account_not_found");
        Assert.That(await RolesOfAsync(admin, accountId, userId), Is.EqualTo(new[] { "sales-agent" }));
    }

    [Test]
    public async Task AssignRole_WhenOperatorAssigns_ShouldReturn403()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (_, userId, _) = await NewMemberAsync(admin, accountId, "sales-agent");
        using var op = AsOperator();

        using var put = await AssignAsync(op, accountId, userId, "billing-admin");

        await AssertProblemAsync(put, HttpStatusCode.Forbidden, "permission_denied");
        Assert.That(await RolesOfAsync(op, accountId, userId), Is.EqualTo(new[] { "sales-agent" }), "operators read users");
    }

    [Test]
    public async Task AssignRole_WhenGlobalAdminGrantsGlobalAdmin_ShouldMakeThemAGlobalAdmin()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (member, userId, _) = await NewMemberAsync(admin, accountId, "sales-agent");

        using var put = await AssignAsync(admin, accountId, userId, "global-admin");

        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());
        Assert.That(await MembersOfAsync(accountId, "global-admin"), Has.Count.EqualTo(2).And.Contains(userId));
        var (_, third, _) = await NewMemberAsync(admin, accountId);
        using var granted = await AssignAsync(member, accountId, third, "global-admin");
        Assert.That(granted.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the new Global admin may grant Global admin too");
    }

    [Test]
    public async Task AssignOrRemoveRole_WhenUserManagementAdminTouchesGlobalAdmin_ShouldReturn403()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (manager, managerId, _) = await NewMemberAsync(admin, accountId, "user-management-admin");
        var (_, secondAdmin, _) = await NewMemberAsync(admin, accountId, "global-admin");
        var (_, userId, _) = await NewMemberAsync(admin, accountId, "sales-agent");

        using var grantOther = await AssignAsync(manager, accountId, userId, "global-admin");
        using var grantSelf = await AssignAsync(manager, accountId, managerId, "global-admin");
        using var revoke = await RevokeAsync(manager, accountId, secondAdmin, "global-admin");

        await AssertProblemAsync(grantOther, HttpStatusCode.Forbidden, "permission_denied");
        await AssertProblemAsync(grantSelf, HttpStatusCode.Forbidden, "permission_denied");
        await AssertProblemAsync(revoke, HttpStatusCode.Forbidden, "permission_denied");
        Assert.That(await MembersOfAsync(accountId, "global-admin"), Has.Count.EqualTo(2).And.Contains(secondAdmin));
    }

    [TestCase("user-management-admin")]
    [TestCase("account-admin")]
    [TestCase("sales-agent")]
    public async Task AssignRole_WhenUserManagementAdminAssignsAnyRoleButGlobalAdmin_ShouldReturn200(string roleId)
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (manager, _, _) = await NewMemberAsync(admin, accountId, "user-management-admin");
        var (_, userId, _) = await NewMemberAsync(admin, accountId);

        using var put = await AssignAsync(manager, accountId, userId, roleId);
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());
        Assert.That(await RolesOfAsync(admin, accountId, userId), Is.EqualTo(new[] { roleId }));

        using var delete = await RevokeAsync(manager, accountId, userId, roleId);
        Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await delete.Content.ReadAsStringAsync());
        Assert.That(await RolesOfAsync(admin, accountId, userId), Is.Empty);
    }

    [TestCase("billing-admin")]
    [TestCase("mpn-partner-admin")]
    [TestCase("account-admin")]
    [TestCase("referrals-admin")]
    public async Task AssignRole_WhenAccountAdminAssignsANonDirectoryRole_ShouldReturn200AndRemoveItToo(string roleId)
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (accountAdmin, _, _) = await NewMemberAsync(admin, accountId, "account-admin");
        var (_, userId, _) = await NewMemberAsync(admin, accountId, "sales-agent");

        using var put = await AssignAsync(accountAdmin, accountId, userId, roleId);
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());
        Assert.That(await RolesOfAsync(admin, accountId, userId), Is.EquivalentTo(new[] { roleId, "sales-agent" }));

        using var delete = await RevokeAsync(accountAdmin, accountId, userId, roleId);
        Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await delete.Content.ReadAsStringAsync());
        Assert.That(await RolesOfAsync(admin, accountId, userId), Is.EqualTo(new[] { "sales-agent" }));
    }

    [TestCase("global-admin")]
    [TestCase("user-management-admin")]
    public async Task AssignOrRemoveRole_WhenAccountAdminTouchesADirectoryRole_ShouldReturn403(string roleId)
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (accountAdmin, accountAdminId, _) = await NewMemberAsync(admin, accountId, "account-admin");
        var (_, userId, _) = await NewMemberAsync(admin, accountId, "sales-agent");
        var (_, holder, _) = await NewMemberAsync(admin, accountId, roleId);

        using var grant = await AssignAsync(accountAdmin, accountId, userId, roleId);
        using var grantSelf = await AssignAsync(accountAdmin, accountId, accountAdminId, roleId);
        using var revoke = await RevokeAsync(accountAdmin, accountId, holder, roleId);

        await AssertProblemAsync(grant, HttpStatusCode.Forbidden, "permission_denied");
        await AssertProblemAsync(grantSelf, HttpStatusCode.Forbidden, "permission_denied");
        await AssertProblemAsync(revoke, HttpStatusCode.Forbidden, "permission_denied");
        Assert.That(await RolesOfAsync(admin, accountId, userId), Is.EqualTo(new[] { "sales-agent" }));
        Assert.That(await RolesOfAsync(admin, accountId, accountAdminId), Is.EqualTo(new[] { "account-admin" }));
        Assert.That(await RolesOfAsync(admin, accountId, holder), Is.EqualTo(new[] { roleId }));
    }

    [Test]
    public async Task RoleEndpoints_WhenMpnPartnerAdminReads_ShouldReturn200()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (mpnAdmin, _, _) = await NewMemberAsync(admin, accountId, "mpn-partner-admin");
        var (_, userId, _) = await NewMemberAsync(admin, accountId, "sales-agent");

        using var users = await mpnAdmin.GetAsync(new Uri($"/v1/accounts/{accountId}/users", UriKind.Relative));
        using var user = await mpnAdmin.GetAsync(new Uri($"/v1/accounts/{accountId}/users/{userId}", UriKind.Relative));
        using var members = await mpnAdmin.GetAsync(new Uri(MembersUri(accountId, "sales-agent"), UriKind.Relative));

        Assert.That(users.StatusCode, Is.EqualTo(HttpStatusCode.OK), await users.Content.ReadAsStringAsync());
        Assert.That(user.StatusCode, Is.EqualTo(HttpStatusCode.OK), await user.Content.ReadAsStringAsync());
        Assert.That(members.StatusCode, Is.EqualTo(HttpStatusCode.OK), await members.Content.ReadAsStringAsync());
        Assert.That((await ReadJsonAsync(users))["items"]!.AsArray(), Has.Count.EqualTo(3));
        Assert.That((await ReadJsonAsync(members))["items"]!.AsArray().Select(m => m!["userId"]!.GetValue<Guid>()), Is.EqualTo(new[] { userId }));
        Assert.That(await RolesOfAsync(mpnAdmin, accountId, userId), Is.EqualTo(new[] { "sales-agent" }));
    }

    [TestCase("sales-agent")]
    [TestCase("billing-admin")]
    [TestCase("mpn-partner-admin")]
    [TestCase("user-management-admin")]
    [TestCase("global-admin")]
    public async Task AssignOrRemoveRole_WhenMpnPartnerAdminAssigns_ShouldReturn403(string roleId)
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (mpnAdmin, _, _) = await NewMemberAsync(admin, accountId, "mpn-partner-admin");
        var (_, userId, _) = await NewMemberAsync(admin, accountId);
        var (_, holder, _) = await NewMemberAsync(admin, accountId, roleId);

        using var grant = await AssignAsync(mpnAdmin, accountId, userId, roleId);
        using var revoke = await RevokeAsync(mpnAdmin, accountId, holder, roleId);

        await AssertProblemAsync(grant, HttpStatusCode.Forbidden, "permission_denied");
        await AssertProblemAsync(revoke, HttpStatusCode.Forbidden, "permission_denied");
        Assert.That(await RolesOfAsync(admin, accountId, userId), Is.Empty);
        Assert.That(await RolesOfAsync(admin, accountId, holder), Is.EqualTo(new[] { roleId }));
    }

    [Test]
    public async Task RoleEndpoints_WhenMemberHasNoUsersRead_ShouldReturn403()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (agent, agentId, _) = await NewMemberAsync(admin, accountId, "sales-agent");

        using var roles = await agent.GetAsync(new Uri($"/v1/accounts/{accountId}/users/{agentId}/roles", UriKind.Relative));
        using var members = await agent.GetAsync(new Uri(MembersUri(accountId, "sales-agent"), UriKind.Relative));
        using var grant = await AssignAsync(agent, accountId, agentId, "billing-admin");

        await AssertProblemAsync(roles, HttpStatusCode.Forbidden, "permission_denied");
        await AssertProblemAsync(members, HttpStatusCode.Forbidden, "permission_denied");
        await AssertProblemAsync(grant, HttpStatusCode.Forbidden, "permission_denied");
    }

    [Test]
    public async Task ListRoleMembers_WhenPagedByTwo_ShouldWalkEveryMemberOnceWithLinkHeaders()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var expected = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            expected.Add((await NewMemberAsync(admin, accountId, "referrals-admin")).UserId);
        }

        await NewMemberAsync(admin, accountId, "sales-agent");

        var walked = new List<Guid>();
        var next = MembersUri(accountId, "referrals-admin") + "?limit=2";
        for (var pages = 1; ; pages++)
        {
            using var response = await admin.GetAsync(new Uri(next, UriKind.Relative));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            var page = (await ReadJsonAsync(response)).AsObject();
            walked.AddRange(page["items"]!.AsArray().Select(m => m!["userId"]!.GetValue<Guid>()));
            if (page["continuationToken"] is null)
            {
                Assert.That(pages, Is.EqualTo(3));
                break;
            }

            var link = response.Headers.GetValues("Link").Single();
            Assert.That(link, Does.EndWith("rel=\"next\""));
            next = link[(link.IndexOf('<', StringComparison.Ordinal) + 1)..link.IndexOf('>', StringComparison.Ordinal)];
            Assert.That(pages, Is.LessThan(5), "paging must end");
        }

        Assert.That(walked, Is.EqualTo(expected));
    }

    [Test]
    public async Task ListRoleMembers_WhenTokenIsForAnotherRole_ShouldReturn400()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        await NewMemberAsync(admin, accountId, "sales-agent");
        await NewMemberAsync(admin, accountId, "sales-agent");
        var page = (await admin.GetFromJsonAsync<JsonObject>(MembersUri(accountId, "sales-agent") + "?limit=1"))!;
        var token = Uri.EscapeDataString(page["continuationToken"]!.GetValue<string>());

        using var response = await admin.GetAsync(new Uri(MembersUri(accountId, "billing-admin") + "?limit=1&continuationToken=" + token, UriKind.Relative));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_continuation_token");
    }

    [Test]
    public async Task RemoveRole_WhenRemovingGlobalAdminFromTheOnlyGlobalAdmin_ShouldReturn409AndKeepIt()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var adminId = (await MembersOfAsync(accountId, "global-admin")).Single();

        using var response = await RevokeAsync(admin, accountId, adminId, "global-admin");

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "last_global_admin");
        Assert.That(await RolesOfAsync(admin, accountId, adminId), Is.EqualTo(new[] { "global-admin" }));
        Assert.That(await AuditCountAsync(accountId, "roleRemoved", adminId, "global-admin"), Is.Zero);
    }

    [Test]
    public async Task RemoveRole_WhenThereAreTwoGlobalAdmins_ShouldRemoveOneAndThenRefuseTheLast()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var adminId = (await MembersOfAsync(accountId, "global-admin")).Single();
        var (second, secondId, _) = await NewMemberAsync(admin, accountId, "global-admin", "sales-agent");

        using var first = await RevokeAsync(second, accountId, adminId, "global-admin");
        using var last = await RevokeAsync(second, accountId, secondId, "global-admin");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await first.Content.ReadAsStringAsync());
        await AssertProblemAsync(last, HttpStatusCode.Conflict, "last_global_admin");
        Assert.That(await MembersOfAsync(accountId, "global-admin"), Is.EqualTo(new[] { secondId }));
        using var nowForbidden = await AssignAsync(admin, accountId, adminId, "global-admin");
        await AssertProblemAsync(nowForbidden, HttpStatusCode.Forbidden, "permission_denied");
    }

    [Test]
    public async Task RemoveRole_WhenBothGlobalAdminsStepDownAtOnce_ShouldKeepExactlyOne()
    {
        // Each Global admin revokes their own role, so both requests pass authorization whatever the order: only the
        // last-Global-admin guard can stop the second one.
        var accounts = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            var (admin, accountId, _) = await NewAdminWithAccountAsync();
            var adminId = (await MembersOfAsync(accountId, "global-admin")).Single();
            var (second, secondId, _) = await NewMemberAsync(admin, accountId, "global-admin");
            return (accountId, Pairs: new[] { (Client: admin, UserId: adminId), (Client: second, UserId: secondId) });
        }));

        var outcomes = await Task.WhenAll(accounts.Select(async a =>
        {
            var responses = await Task.WhenAll(a.Pairs.Select(p => RevokeAsync(p.Client, a.accountId, p.UserId, "global-admin")));
            return (a.accountId, Responses: responses);
        }));

        foreach (var (accountId, responses) in outcomes)
        {
            var statuses = responses.Select(r => r.StatusCode).Order().ToList();
            Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.NoContent, HttpStatusCode.Conflict }),
                string.Join(" | ", await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()))));
            await AssertProblemAsync(responses.Single(r => r.StatusCode == HttpStatusCode.Conflict), HttpStatusCode.Conflict, "last_global_admin");
            Assert.That(await MembersOfAsync(accountId, "global-admin"), Has.Count.EqualTo(1));
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Test]
    public async Task RemoveUser_WhenBothGlobalAdminsLeaveAtOnce_ShouldKeepExactlyOne()
    {
        var accounts = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            var (admin, accountId, _) = await NewAdminWithAccountAsync();
            var adminId = (await MembersOfAsync(accountId, "global-admin")).Single();
            var (second, secondId, _) = await NewMemberAsync(admin, accountId, "global-admin");
            var pairs = new List<(HttpClient Client, Guid UserId, string ETag)>();
            foreach (var (client, userId) in new[] { (admin, adminId), (second, secondId) })
            {
                var (_, etag) = await GetWithETagAsync(admin, $"/v1/accounts/{accountId}/users/{userId}");
                pairs.Add((client, userId, etag));
            }

            return (accountId, Pairs: pairs);
        }));

        var outcomes = await Task.WhenAll(accounts.Select(async a =>
        {
            var responses = await Task.WhenAll(a.Pairs.Select(p =>
                p.Client.SendAsync(Json(HttpMethod.Delete, $"/v1/accounts/{a.accountId}/users/{p.UserId}", null, p.ETag))));
            return (a.accountId, Responses: responses);
        }));

        foreach (var (accountId, responses) in outcomes)
        {
            var statuses = responses.Select(r => r.StatusCode).Order().ToList();
            Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.NoContent, HttpStatusCode.Conflict }),
                string.Join(" | ", await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()))));
            await AssertProblemAsync(responses.Single(r => r.StatusCode == HttpStatusCode.Conflict), HttpStatusCode.Conflict, "last_global_admin");
            Assert.That(await MembersOfAsync(accountId, "global-admin"), Has.Count.EqualTo(1));
            using var op = AsOperator();
            var users = (await op.GetFromJsonAsync<JsonObject>($"/v1/accounts/{accountId}/users"))!["items"]!.AsArray();
            Assert.That(users, Has.Count.EqualTo(1), "exactly one of the two left");
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }
}
