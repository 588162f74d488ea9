using System.Net;
using System.Text.Json.Nodes;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>The program catalogue, the settings areas enrollments open, the summary and picker, and the roles areas allow.</summary>
public sealed class ProgramsTests : ProgramTest
{
    private static string SettingsOf(Guid accountId) => $"/v1/accounts/{accountId}/settings";

    private static async Task<HttpResponseMessage> AssignAsync(HttpClient client, Guid accountId, Guid userId, string roleId) =>
        await client.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/v1/accounts/{accountId}/users/{userId}/roles/{roleId}"));

    private static async Task<IReadOnlyList<string>> RolesOfAsync(HttpClient client, Guid accountId, Guid userId) =>
        [.. (await GetJsonArrayAsync(client, $"/v1/accounts/{accountId}/users/{userId}/roles")).Select(r => r!["id"]!.GetValue<string>())];

    private static async Task<JsonArray> GetJsonArrayAsync(HttpClient client, string uri)
    {
        using var response = await client.GetAsync(new Uri(uri, UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await ReadJsonAsync(response)).AsArray();
    }

    [Test]
    public async Task ListPrograms_ShouldReturnTheEightProgramsWithAreasPrerequisitesAndWhoMayEnroll()
    {
        using var client = As(NewEmail());

        var programs = (await GetJsonArrayAsync(client, "/v1/programs")).Select(p => p!.AsObject()).ToDictionary(p => p["id"]!.GetValue<string>());

        Assert.That(programs.ToDictionary(p => p.Key, p => p.Value["settingsArea"]!.GetValue<string>()), Is.EquivalentTo(new Dictionary<string, string>
        {
            ["mpn"] = "partner",
            ["csp"] = "partner",
            ["referrals"] = "partner",
            ["control-panel-vendor"] = "partner",
            ["commercial-marketplace"] = "developer",
            ["windows-and-xbox"] = "developer",
            ["office-store"] = "developer",
            ["edge-extensions"] = "developer",
        }));
        var csp = programs["csp"];
        Assert.Multiple(() =>
        {
            Assert.That(csp["name"]!.GetValue<string>(), Does.Contain("Cloud Solution Provider"));
            Assert.That(csp["description"]!.GetValue<string>(), Is.Not.Empty);
            Assert.That(csp["prerequisites"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()), Is.EqualTo(new[] { "mpnEnrollment", "verifiedAccount", "globalAdmin" }));
            Assert.That(csp["prerequisites"]!.AsArray().Select(p => p!["description"]!.GetValue<string>()), Has.All.Not.Empty);
            Assert.That(csp["enrollingRoles"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()), Is.EqualTo(new[] { "global-admin" }));
            Assert.That(programs["control-panel-vendor"]["enrollingRoles"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()), Is.EqualTo(new[] { "global-admin" }));
            Assert.That(programs["mpn"]["prerequisites"]!.AsArray(), Is.Empty);
            Assert.That(programs["mpn"]["enrollingRoles"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()), Does.Contain("account-admin").And.Contain("global-admin"));
            Assert.That(programs["referrals"]["prerequisites"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()), Is.EqualTo(new[] { "mpnEnrollment" }));
            Assert.That(programs.Where(p => !p.Value["allowsRoleAssignment"]!.GetValue<bool>()).Select(p => p.Key), Is.EqualTo(new[] { "edge-extensions" }));
        });
    }

    [Test]
    public async Task ListPrograms_WhenAnonymous_ShouldReturn401()
    {
        using var client = Anonymous();

        using var response = await client.GetAsync(new Uri("/v1/programs", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task GetProgram_WhenKnown_ShouldReturnIt()
    {
        using var client = As(NewEmail());

        var program = await GetJsonAsync(client, "/v1/programs/edge-extensions");

        Assert.That(program["settingsArea"]!.GetValue<string>(), Is.EqualTo("developer"));
        Assert.That(program["allowsRoleAssignment"]!.GetValue<bool>(), Is.False);
    }

    [Test]
    public async Task GetProgram_WhenUnknown_ShouldReturn404ProgramNotFound()
    {
        using var client = As(NewEmail());

        using var response = await client.GetAsync(new Uri("/v1/programs/xbox-live", UriKind.Relative));

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "program_not_found");
    }

    [Test]
    public async Task GetSettings_WhenAccountHasNoEnrollment_ShouldHaveNoAreaAndShowMpnIdInThePartnerProfile()
    {
        var (client, accountId, account) = await NewAdminWithAccountAsync();

        var settings = await GetJsonAsync(client, SettingsOf(accountId));

        Assert.Multiple(() =>
        {
            Assert.That(Strings(settings["settingsAreas"]), Is.Empty);
            Assert.That(Strings(settings["assignableRoleAreas"]), Is.EqualTo(new[] { "partner" }));
            Assert.That(settings["mpnId"]!.GetValue<string>(), Is.EqualTo(account["mpnId"]!.GetValue<string>()));
            Assert.That(settings["mpnIdShownIn"]!.GetValue<string>(), Is.EqualTo("partnerProfile"));
        });
    }

    [Test]
    public async Task GetSettings_WhenOnlyADeveloperProgramIsPending_ShouldBeDeveloperOnlyWithMpnIdInAccountSettings()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(client, accountId, "office-store");

        var settings = await GetJsonAsync(client, SettingsOf(accountId));

        Assert.Multiple(() =>
        {
            Assert.That(Strings(settings["settingsAreas"]), Is.EqualTo(new[] { "developer" }));
            Assert.That(Strings(settings["assignableRoleAreas"]), Is.EqualTo(new[] { "partner", "developer" }));
            Assert.That(settings["mpnIdShownIn"]!.GetValue<string>(), Is.EqualTo("accountSettings"));
        });
    }

    [Test]
    public async Task GetSettings_WhenEnrolledInBothAreas_ShouldHaveBothAndShowMpnIdInThePartnerProfile()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(client, accountId, "office-store");
        await EnrollOkAsync(client, accountId, "mpn");
        await DecideOkAsync(accountId, "mpn", "active");

        var settings = await GetJsonAsync(client, SettingsOf(accountId));

        Assert.That(Strings(settings["settingsAreas"]), Is.EqualTo(new[] { "partner", "developer" }));
        Assert.That(settings["mpnIdShownIn"]!.GetValue<string>(), Is.EqualTo("partnerProfile"));
    }

    [Test]
    public async Task GetSettings_WhenOnlyEdgeExtensions_ShouldHaveTheDeveloperAreaButNotItsRoles()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(client, accountId, "edge-extensions");

        var settings = await GetJsonAsync(client, SettingsOf(accountId));

        Assert.That(Strings(settings["settingsAreas"]), Is.EqualTo(new[] { "developer" }));
        Assert.That(Strings(settings["assignableRoleAreas"]), Is.EqualTo(new[] { "partner" }));
    }

    [TestCase("withdrawn")]
    [TestCase("rejected")]
    public async Task GetSettings_WhenTheOnlyEnrollmentIsNoLongerLive_ShouldLoseItsArea(string how)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(client, accountId, "mpn");
        if (how == "withdrawn")
        {
            using var withdrawn = await WithdrawAsync(client, accountId, "mpn", "*");
            Assert.That(withdrawn.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        else
        {
            await DecideOkAsync(accountId, "mpn", "rejected", "Not a company.");
        }

        var settings = await GetJsonAsync(client, SettingsOf(accountId));

        Assert.That(Strings(settings["settingsAreas"]), Is.Empty);
    }

    [Test]
    public async Task GetSettings_WhenCallerIsASalesAgentOrAnOperator_ShouldReturnIt()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(admin, accountId, "mpn");
        var (salesAgent, _, _) = await NewMemberAsync(admin, accountId, "sales-agent");
        using var op = AsOperator();

        Assert.That(Strings((await GetJsonAsync(salesAgent, SettingsOf(accountId)))["settingsAreas"]), Is.EqualTo(new[] { "partner" }));
        Assert.That(Strings((await GetJsonAsync(op, SettingsOf(accountId)))["settingsAreas"]), Is.EqualTo(new[] { "partner" }));
    }

    [Test]
    public async Task GetSettings_WhenCallerIsAStranger_ShouldReturn404()
    {
        var (_, accountId, _) = await NewAdminWithAccountAsync();
        using var stranger = As(NewEmail("stranger"));

        using var response = await stranger.GetAsync(new Uri(SettingsOf(accountId), UriKind.Relative));

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "account_not_found");
    }

    [Test]
    public async Task GetSettings_WhenAccountIdIsMalformed_ShouldReturn400NamingAccountId()
    {
        using var client = As(NewEmail());

        using var response = await client.GetAsync(new Uri("/v1/accounts/123/settings", UriKind.Relative));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "malformed_request");
        Assert.That(FieldErrors(problem), Is.EqualTo(new[] { "accountId" }));
    }

    [Test]
    public async Task GetAccount_ShouldListLiveProgramsWithStatusAndTheSettingsAreasForTheLeftNavigation()
    {
        var (client, accountId, created) = await NewAdminWithAccountAsync();
        Assert.That(created["programs"]!.AsArray(), Is.Empty);
        Assert.That(Strings(created["settingsAreas"]), Is.Empty);
        await EnrollOkAsync(client, accountId, "edge-extensions");
        await EnrollOkAsync(client, accountId, "office-store");
        await EnrollOkAsync(client, accountId, "mpn");
        await DecideOkAsync(accountId, "mpn", "active");
        await DecideOkAsync(accountId, "office-store", "rejected", "Not eligible.");

        var account = await GetJsonAsync(client, $"/v1/accounts/{accountId}");

        var programs = account["programs"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(programs.Select(p => p!["id"]!.GetValue<string>()), Is.EqualTo(new[] { "mpn", "edge-extensions" }));
            Assert.That(programs.Select(p => p!["status"]!.GetValue<string>()), Is.EqualTo(new[] { "active", "pending" }));
            Assert.That(programs.Select(p => p!["settingsArea"]!.GetValue<string>()), Is.EqualTo(new[] { "partner", "developer" }));
            Assert.That(programs[0]!["name"]!.GetValue<string>(), Is.EqualTo("Partner network (MPN)"));
            Assert.That(Strings(account["settingsAreas"]), Is.EqualTo(new[] { "partner", "developer" }));
            Assert.That(account["mpnIdShownIn"]!.GetValue<string>(), Is.EqualTo("partnerProfile"));
        });
    }

    [Test]
    public async Task ListMyAccounts_ShouldListEachAccountsLivePrograms()
    {
        var email = NewEmail("picker");
        using var client = As(email);
        var first = (await CreateAccountAsync(client))["id"]!.GetValue<Guid>();
        var second = (await CreateAccountAsync(client))["id"]!.GetValue<Guid>();
        await EnrollOkAsync(client, first, "windows-and-xbox");
        await EnrollOkAsync(client, second, "mpn");
        await EnrollOkAsync(client, second, "commercial-marketplace");
        using (var withdrawn = await WithdrawAsync(client, second, "commercial-marketplace", "*"))
        {
            Assert.That(withdrawn.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var picker = await GetJsonAsync(client, "/v1/me/accounts");

        var programs = picker["items"]!.AsArray().ToDictionary(
            a => a!["accountId"]!.GetValue<Guid>(),
            a => a!["programs"]!.AsArray().Select(p => $"{p!["id"]!.GetValue<string>()}:{p["status"]!.GetValue<string>()}").ToList());
        Assert.That(programs[first], Is.EqualTo(new[] { "windows-and-xbox:pending" }));
        Assert.That(programs[second], Is.EqualTo(new[] { "mpn:pending" }));
    }

    [TestCase("manager")]
    [TestCase("developer")]
    [TestCase("business-contributor")]
    [TestCase("financial-contributor")]
    [TestCase("marketer")]
    public async Task AssignRole_WhenADeveloperRoleHasNoDeveloperProgram_ShouldReturn422SettingsAreaMissing(string roleId)
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(admin, accountId, "mpn");
        var (_, userId, _) = await NewMemberAsync(admin, accountId, "sales-agent");

        using var response = await AssignAsync(admin, accountId, userId, roleId);

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "settings_area_missing");
        Assert.That(FieldErrors(problem), Is.EqualTo(new[] { "roleId" }));
        Assert.That(await RolesOfAsync(admin, accountId, userId), Is.EqualTo(new[] { "sales-agent" }));
    }

    [Test]
    public async Task AssignRole_WhenTheOnlyDeveloperProgramIsEdgeExtensions_ShouldReturn422SettingsAreaMissing()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(admin, accountId, "edge-extensions");
        await DecideOkAsync(accountId, "edge-extensions", "active");
        var (_, userId, _) = await NewMemberAsync(admin, accountId, "sales-agent");

        using var response = await AssignAsync(admin, accountId, userId, "developer");

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "settings_area_missing");
    }

    [TestCase("office-store")]
    [TestCase("commercial-marketplace")]
    [TestCase("windows-and-xbox")]
    public async Task AssignRole_WhenADeveloperProgramThatAllowsRolesIsPending_ShouldGrantDeveloperRoles(string programId)
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(admin, accountId, programId);
        var (_, userId, _) = await NewMemberAsync(admin, accountId, "sales-agent");

        using var response = await AssignAsync(admin, accountId, userId, "developer");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(await RolesOfAsync(admin, accountId, userId), Is.EquivalentTo(new[] { "developer", "sales-agent" }));
    }

    [Test]
    public async Task AssignRole_WhenTheDeveloperProgramWasWithdrawn_ShouldRefuseNewDeveloperRolesButKeepGrantedOnes()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(admin, accountId, "office-store");
        var (_, userId, _) = await NewMemberAsync(admin, accountId, "marketer");
        using (var withdrawn = await WithdrawAsync(admin, accountId, "office-store", "*"))
        {
            Assert.That(withdrawn.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var refused = await AssignAsync(admin, accountId, userId, "developer");
        using var again = await AssignAsync(admin, accountId, userId, "marketer");

        await AssertProblemAsync(refused, HttpStatusCode.UnprocessableEntity, "settings_area_missing");
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK), "assigning a role already held stays idempotent");
        Assert.That(await RolesOfAsync(admin, accountId, userId), Is.EqualTo(new[] { "marketer" }));
    }

    [TestCase("billing-admin")]
    [TestCase("sales-agent")]
    [TestCase("global-admin")]
    public async Task AssignRole_WhenAPartnerRoleAndTheAccountHasNoProgram_ShouldGrantIt(string roleId)
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (_, userId, _) = await NewMemberAsync(admin, accountId, "helpdesk-agent");

        using var response = await AssignAsync(admin, accountId, userId, roleId);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(await RolesOfAsync(admin, accountId, userId), Does.Contain(roleId));
    }

    [Test]
    public async Task InviteUser_WithADeveloperRoleAndNoDeveloperProgram_ShouldReturn422AndAddNobody()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(admin, accountId, "edge-extensions");
        var email = NewEmail("dev");

        using var response = await PostInviteAsync(admin, accountId, email, "billing-admin", "developer");

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "settings_area_missing");
        Assert.That(FieldErrors(problem), Is.EqualTo(new[] { "roles" }));
        Assert.That(problem["errors"]!["roles"]!.AsArray().Single()!.GetValue<string>(), Does.Contain("'developer'"));
        var users = await GetJsonAsync(admin, $"/v1/accounts/{accountId}/users");
        Assert.That(users["items"]!.AsArray().Select(u => u!["email"]!.GetValue<string>()), Does.Not.Contain(email));
    }

    [Test]
    public async Task InviteUser_WithADeveloperRoleWhenADeveloperProgramAllowsIt_ShouldReturn201WithTheRole()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(admin, accountId, "commercial-marketplace");

        var (_, userId, _) = await NewMemberAsync(admin, accountId, "developer", "financial-contributor");

        Assert.That(await RolesOfAsync(admin, accountId, userId), Is.EquivalentTo(new[] { "developer", "financial-contributor" }));
    }
}
