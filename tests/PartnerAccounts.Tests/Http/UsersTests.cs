using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Infrastructure.Persistence;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

public sealed class UsersTests : ApiTest
{
    private static string UsersUri(Guid accountId) => $"/v1/accounts/{accountId}/users";

    private static string UserUri(Guid accountId, Guid userId) => $"/v1/accounts/{accountId}/users/{userId}";

    private static async Task<HttpResponseMessage> InviteRawAsync(HttpClient client, Guid accountId, object body) =>
        await client.PostAsJsonAsync(UsersUri(accountId), body);

    private static async Task<HttpResponseMessage> ResetPasswordAsync(HttpClient client, Guid accountId, Guid userId) =>
        await client.PostAsync(new Uri(UserUri(accountId, userId) + "/password-resets", UriKind.Relative), null);

    /// <summary>Every user of the account (one page of 200), asserting a 200.</summary>
    private static async Task<List<JsonObject>> ListUsersAsync(HttpClient client, Guid accountId)
    {
        var page = (await client.GetFromJsonAsync<JsonObject>(UsersUri(accountId) + "?limit=200"))!;
        return [.. page["items"]!.AsArray().Select(u => u!.AsObject())];
    }

    private static List<string> RoleIds(JsonNode withRoles) => [.. withRoles["roles"]!.AsArray().Select(r => r!["id"]!.GetValue<string>())];

    /// <summary>The account picker of a client: account id -> role ids.</summary>
    private static async Task<Dictionary<Guid, List<string>>> PickerAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/v1/me/accounts?limit=200", UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await ReadJsonAsync(response))["items"]!.AsArray().ToDictionary(a => a!["accountId"]!.GetValue<Guid>(), a => RoleIds(a!));
    }

    /// <summary>Every audit record of the account, read over HTTP (asserting a 200).</summary>
    private static async Task<List<JsonObject>> AuditAsync(HttpClient client, Guid accountId)
    {
        var page = (await client.GetFromJsonAsync<JsonObject>($"/v1/accounts/{accountId}/auditrecords?limit=200"))!;
        return [.. page["items"]!.AsArray().Select(r => r!.AsObject())];
    }

    private static async Task<string?> PasswordHashAsync(string email)
    {
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var normalized = email.Trim().ToUpperInvariant();
        return await db.Users.AsNoTracking().Where(u => u.NormalizedEmail == normalized).Select(u => u.PasswordHash).SingleAsync();
    }

    private static async Task<string?> PasswordHashAsync(Guid userId)
    {
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.PasswordHash).SingleAsync();
    }

    // ---- invite

    [Test]
    public async Task InviteUser_WhenGlobalAdminInvitesWithRoles_ShouldReturn201WithTheUserAndATemporaryPasswordShownOnce()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var email = NewEmail("invitee");

        using var response = await InviteRawAsync(admin, accountId, new { email, displayName = "Ines Invitee", roles = new[] { "sales-agent", "billing-admin" } });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var body = (await ReadJsonAsync(response)).AsObject();
        var user = body["user"]!;
        var userId = user["id"]!.GetValue<Guid>();
        var temporaryPassword = body["temporaryPassword"]!.GetValue<string>();
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo(UserUri(accountId, userId)));
            Assert.That(user["email"]!.GetValue<string>(), Is.EqualTo(email));
            Assert.That(user["displayName"]!.GetValue<string>(), Is.EqualTo("Ines Invitee"));
            Assert.That(RoleIds(user), Is.EqualTo(new[] { "billing-admin", "sales-agent" }));
            Assert.That(temporaryPassword, Has.Length.GreaterThanOrEqualTo(12));
            Assert.That(body["temporaryPasswordExpiresAt"]!.GetValue<DateTime>(), Is.EqualTo(DateTime.UtcNow.AddDays(3)).Within(TimeSpan.FromMinutes(5)));
        });

        using var get = await admin.GetAsync(new Uri(UserUri(accountId, userId), UriKind.Relative));
        var getText = await get.Content.ReadAsStringAsync();
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.OK), getText);
        Assert.That(RoleIds(JsonNode.Parse(getText)!), Is.EqualTo(new[] { "billing-admin", "sales-agent" }));
        Assert.That(getText, Does.Not.Contain(temporaryPassword).And.Not.Contain("temporaryPassword"));

        using var list = await admin.GetAsync(new Uri(UsersUri(accountId), UriKind.Relative));
        var listText = await list.Content.ReadAsStringAsync();
        Assert.That(listText, Does.Not.Contain(temporaryPassword));
        var users = JsonNode.Parse(listText)!["items"]!.AsArray();
        Assert.That(users.Select(u => u!["email"]!.GetValue<string>()).ToList(), Has.Count.EqualTo(2).And.Contains(email));
    }

    [Test]
    public async Task InviteUser_WhenTheInviteeSignsInWithTheTemporaryPassword_ShouldOnlyAllowChangingThePassword()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var email = NewEmail("newcomer");
        var (_, temporaryPassword) = await InviteAsync(admin, accountId, email, "sales-agent", "helpdesk-agent");

        var (restricted, token) = await SignInAsync(email, temporaryPassword!);

        Assert.Multiple(() =>
        {
            Assert.That(token["passwordChangeRequired"]!.GetValue<bool>(), Is.True);
            Assert.That(token["tokenType"]!.GetValue<string>(), Is.EqualTo("Bearer"));
            Assert.That(token["expiresIn"]!.GetValue<int>(), Is.InRange(60, 3600));
            Assert.That(token["expiresAt"]!.GetValue<DateTime>(), Is.GreaterThan(DateTime.UtcNow));
        });
        foreach (var uri in new[] { "/v1/me/accounts", $"/v1/accounts/{accountId}", $"/v1/accounts/{accountId}/profiles/legalbusiness", "/v1/roles" })
        {
            using var blocked = await restricted.GetAsync(new Uri(uri, UriKind.Relative));
            await AssertProblemAsync(blocked, HttpStatusCode.Forbidden, "password_change_required");
        }

        using (var createAccount = await restricted.PostAsJsonAsync("/v1/accounts", NewAccountBody()))
        {
            await AssertProblemAsync(createAccount, HttpStatusCode.Forbidden, "password_change_required");
        }

        const string newPassword = "a-new-Passw0rd-of-my-own";
        using (var change = await restricted.PostAsJsonAsync("/v1/me/password", new { currentPassword = temporaryPassword, newPassword }))
        {
            Assert.That(change.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await change.Content.ReadAsStringAsync());
        }

        using (var stillRestricted = await restricted.GetAsync(new Uri("/v1/me/accounts", UriKind.Relative)))
        {
            await AssertProblemAsync(stillRestricted, HttpStatusCode.Forbidden, "password_change_required");
        }

        using (var anonymous = Anonymous())
        using (var oldPassword = await anonymous.PostAsJsonAsync("/v1/auth/token", new { email, password = temporaryPassword }))
        {
            await AssertProblemAsync(oldPassword, HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        var (client, fullToken) = await SignInAsync(email, newPassword);
        Assert.That(fullToken["passwordChangeRequired"]!.GetValue<bool>(), Is.False);
        Assert.That(await PickerAsync(client), Is.EqualTo(new Dictionary<Guid, List<string>> { [accountId] = ["helpdesk-agent", "sales-agent"] }));
        using var profile = await client.GetAsync(new Uri($"/v1/accounts/{accountId}/profiles/legalbusiness", UriKind.Relative));
        Assert.That(profile.StatusCode, Is.EqualTo(HttpStatusCode.OK), await profile.Content.ReadAsStringAsync());
        using var roles = await client.GetAsync(new Uri("/v1/roles", UriKind.Relative));
        Assert.That(roles.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    // Changed with the identity model (docs/adr/0006-identity-model.md): this test pinned "a person who can already sign in
    // keeps their password, one person one user id" — the shared credential issue 11 shows to be a cross-account takeover.
    [Test]
    public async Task InviteUser_WhenPersonJoinsASecondAccount_ShouldIssueThatAccountsOwnCredentialAndShowBothAccountsToTheirVerifiedEmail()
    {
        var (firstAdmin, firstAccount, _) = await NewAdminWithAccountAsync();
        var (secondAdmin, secondAccount, _) = await NewAdminWithAccountAsync();
        var email = NewEmail("consultant");
        var (firstUserId, temporaryPassword) = await InviteAsync(firstAdmin, firstAccount, email, "billing-admin");
        var (restricted, _) = await SignInAsync(email, temporaryPassword!);
        const string password = "consultant-Passw0rd-2";
        using (var change = await restricted.PostAsJsonAsync("/v1/me/password", new { currentPassword = temporaryPassword, newPassword = password }))
        {
            Assert.That(change.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await change.Content.ReadAsStringAsync());
        }

        using var second = await InviteRawAsync(secondAdmin, secondAccount, new { email = email.ToUpperInvariant(), roles = new[] { "account-admin", "referrals-admin" } });

        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Created), await second.Content.ReadAsStringAsync());
        var invited = await ReadJsonAsync(second);
        Assert.That(invited["temporaryPassword"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, "the second account issues its own credential");
        Assert.That(invited["user"]!["id"]!.GetValue<Guid>(), Is.Not.EqualTo(firstUserId), "one directory user per issuing account");
        var (local, token) = await SignInAsync(email, password);
        Assert.That(token["passwordChangeRequired"]!.GetValue<bool>(), Is.False, "the first credential keeps its password");
        Assert.That(await PickerAsync(local), Is.EquivalentTo(new Dictionary<Guid, List<string>> { [firstAccount] = ["billing-admin"] }));

        using var client = As(email);
        Assert.That(await PickerAsync(client), Is.EquivalentTo(new Dictionary<Guid, List<string>>
        {
            [firstAccount] = ["billing-admin"],
            [secondAccount] = ["account-admin", "referrals-admin"],
        }));
        using var billingInFirst = await client.GetAsync(new Uri($"/v1/accounts/{firstAccount}/profiles/billing", UriKind.Relative));
        using var legalInFirst = await client.SendAsync(Json(HttpMethod.Put, $"/v1/accounts/{firstAccount}/profiles/legalbusiness", new { }, "*"));
        Assert.That(billingInFirst.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await AssertProblemAsync(legalInFirst, HttpStatusCode.Forbidden, "permission_denied");
        using var usersInSecond = await client.GetAsync(new Uri(UsersUri(secondAccount), UriKind.Relative));
        Assert.That(usersInSecond.StatusCode, Is.EqualTo(HttpStatusCode.OK), "account admins read users in the second account");
    }

    [Test]
    public async Task InviteUser_WhenPersonIsAlreadyAMember_ShouldReturn409AndChangeNothing()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var email = NewEmail("twice");
        var (userId, _) = await InviteAsync(admin, accountId, email, "sales-agent");

        using var again = await InviteRawAsync(admin, accountId, new { email, roles = new[] { "billing-admin" } });
        using var otherCase = await InviteRawAsync(admin, accountId, new { email = email.ToUpperInvariant(), roles = Array.Empty<string>() });

        await AssertProblemAsync(again, HttpStatusCode.Conflict, "user_already_member");
        await AssertProblemAsync(otherCase, HttpStatusCode.Conflict, "user_already_member");
        var users = await ListUsersAsync(admin, accountId);
        Assert.That(users, Has.Count.EqualTo(2));
        Assert.That(RoleIds(users.Single(u => u["id"]!.GetValue<Guid>() == userId)), Is.EqualTo(new[] { "sales-agent" }));
    }

    [Test]
    public async Task InviteUser_WhenInvitingTheCallerThemself_ShouldReturn409()
    {
        var email = NewEmail("founder");
        using var admin = As(email);
        var accountId = (await CreateAccountAsync(admin))["id"]!.GetValue<Guid>();

        using var response = await InviteRawAsync(admin, accountId, new { email, roles = new[] { "sales-agent" } });

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "user_already_member");
    }

    [Test]
    public async Task InviteUser_WhenEmailAndRolesAreInvalid_ShouldReturn400NamingEveryFieldAndInviteNobody()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();

        using var response = await InviteRawAsync(admin, accountId, new
        {
            email = "not-an-email",
            displayName = new string('n', 201),
            roles = new[] { "sales-agent", "chief-everything-officer" },
        });

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EquivalentTo(new[] { "email", "displayName", "roles[1]" }));
        Assert.That(await ListUsersAsync(admin, accountId), Has.Count.EqualTo(1));
    }

    [TestCase("{}", "email")]
    [TestCase("{\"email\": \"\"}", "email")]
    [TestCase("{\"email\": \"x@example.com\", \"roles\": [\"\"]}", "roles[0]")]
    [TestCase("{\"email\": \"x@example.com\", \"roles\": [null]}", "roles[0]")]
    public async Task InviteUser_WhenFieldsAreMissingOrEmpty_ShouldReturn400NamingThem(string raw, string field)
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();

        using var response = await admin.SendAsync(Json(HttpMethod.Post, UsersUri(accountId), raw));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EqualTo(new[] { field }));
    }

    [TestCase("account-admin")]
    [TestCase("mpn-partner-admin")]
    [TestCase("billing-admin")]
    [TestCase("sales-agent")]
    public async Task InviteUser_WhenCallerCannotManageUsers_ShouldReturn403(string callerRole)
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (member, _, _) = await NewMemberAsync(admin, accountId, callerRole);
        var email = NewEmail("blocked");

        using var response = await InviteRawAsync(member, accountId, new { email, roles = new[] { "sales-agent" } });

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "permission_denied");
        Assert.That((await ListUsersAsync(admin, accountId)).Select(u => u["email"]!.GetValue<string>()), Does.Not.Contain(email));
    }

    [Test]
    public async Task InviteUser_WhenCallerIsAStrangerOrAnOperator_ShouldReturn404Or403()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        using var stranger = As(NewEmail("stranger"));
        using var op = AsOperator();

        using var byStranger = await InviteRawAsync(stranger, accountId, new { email = "bad", roles = new[] { "nope" } });
        using var byOperator = await InviteRawAsync(op, accountId, new { email = NewEmail(), roles = Array.Empty<string>() });

        await AssertProblemAsync(byStranger, HttpStatusCode.NotFound, "account_not_found");
        await AssertProblemAsync(byOperator, HttpStatusCode.Forbidden, "permission_denied");
        Assert.That(await ListUsersAsync(admin, accountId), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task InviteUser_WhenUserManagementAdminInvites_ShouldSucceedButNotWithGlobalAdmin()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (manager, _, _) = await NewMemberAsync(admin, accountId, "user-management-admin");
        var allowedEmail = NewEmail("allowed");
        var refusedEmail = NewEmail("refused");

        using var allowed = await InviteRawAsync(manager, accountId, new { email = allowedEmail, roles = new[] { "user-management-admin", "account-admin" } });
        using var refused = await InviteRawAsync(manager, accountId, new { email = refusedEmail, roles = new[] { "sales-agent", "global-admin" } });

        Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.Created), await allowed.Content.ReadAsStringAsync());
        await AssertProblemAsync(refused, HttpStatusCode.Forbidden, "permission_denied");
        var users = await ListUsersAsync(admin, accountId);
        Assert.That(users.Select(u => u["email"]!.GetValue<string>()), Does.Contain(allowedEmail).And.Not.Contain(refusedEmail));
        Assert.That(RoleIds(users.Single(u => u["email"]!.GetValue<string>() == allowedEmail)), Is.EqualTo(new[] { "account-admin", "user-management-admin" }));
    }

    [Test]
    public async Task InviteUser_WhenNoRolesAreGiven_ShouldAddAMemberWhoCanReadNothing()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (member, userId, _) = await NewMemberAsync(admin, accountId);

        using var profile = await member.GetAsync(new Uri($"/v1/accounts/{accountId}/profiles/legalbusiness", UriKind.Relative));
        using var account = await member.GetAsync(new Uri($"/v1/accounts/{accountId}", UriKind.Relative));
        using var users = await member.GetAsync(new Uri(UsersUri(accountId), UriKind.Relative));

        await AssertProblemAsync(profile, HttpStatusCode.Forbidden, "permission_denied");
        await AssertProblemAsync(account, HttpStatusCode.Forbidden, "permission_denied");
        await AssertProblemAsync(users, HttpStatusCode.Forbidden, "permission_denied");
        Assert.That(await PickerAsync(member), Is.EqualTo(new Dictionary<Guid, List<string>> { [accountId] = [] }));
        Assert.That(RoleIds((await ListUsersAsync(admin, accountId)).Single(u => u["id"]!.GetValue<Guid>() == userId)), Is.Empty);
    }

    // ---- list and get

    [Test]
    public async Task ListUsers_WhenPagedByTwo_ShouldWalkEveryUserOnceInInvitationOrder()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var expected = (await ListUsersAsync(admin, accountId)).Select(u => u["id"]!.GetValue<Guid>()).ToList();
        for (var i = 0; i < 4; i++)
        {
            expected.Add((await NewMemberAsync(admin, accountId, "sales-agent")).UserId);
        }

        var walked = new List<Guid>();
        var next = UsersUri(accountId) + "?limit=2";
        for (var pages = 1; ; pages++)
        {
            using var response = await admin.GetAsync(new Uri(next, UriKind.Relative));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            var page = (await ReadJsonAsync(response)).AsObject();
            walked.AddRange(page["items"]!.AsArray().Select(u => u!["id"]!.GetValue<Guid>()));
            if (page["continuationToken"] is null)
            {
                Assert.That(response.Headers.Contains("Link"), Is.False);
                break;
            }

            var link = response.Headers.GetValues("Link").Single();
            next = link[(link.IndexOf('<', StringComparison.Ordinal) + 1)..link.IndexOf('>', StringComparison.Ordinal)];
            Assert.That(pages, Is.LessThan(5), "paging must end");
        }

        Assert.That(walked, Is.EqualTo(expected));
    }

    [TestCase("limit=0")]
    [TestCase("limit=201")]
    [TestCase("continuationToken=forged")]
    public async Task ListUsers_WhenPagingIsInvalid_ShouldReturn400(string query)
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        using var response = await admin.GetAsync(new Uri(UsersUri(accountId) + "?" + query, UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, query.StartsWith("limit", StringComparison.Ordinal) ? "validation_failed" : "invalid_continuation_token");
    }

    [Test]
    public async Task UserEndpoints_WhenCallerIsNotAMember_ShouldReturn404AccountNotFound()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (_, userId, _) = await NewMemberAsync(admin, accountId, "sales-agent");
        using var stranger = As(NewEmail("stranger"));

        using var list = await stranger.GetAsync(new Uri(UsersUri(accountId), UriKind.Relative));
        using var get = await stranger.GetAsync(new Uri(UserUri(accountId, userId), UriKind.Relative));
        using var put = await stranger.SendAsync(Json(HttpMethod.Put, UserUri(accountId, userId), new { displayName = "x" }, "*"));
        using var delete = await stranger.SendAsync(Json(HttpMethod.Delete, UserUri(accountId, userId), null, "*"));
        using var reset = await ResetPasswordAsync(stranger, accountId, userId);

        foreach (var response in new[] { list, get, put, delete, reset })
        {
            await AssertProblemAsync(response, HttpStatusCode.NotFound, "account_not_found");
        }

        Assert.That(await ListUsersAsync(admin, accountId), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task UserEndpoints_WhenUserIsNotAMemberOfThisAccount_ShouldReturn404UserNotFound()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (otherAdmin, otherAccountId, _) = await NewAdminWithAccountAsync();
        var (_, outsider, _) = await NewMemberAsync(otherAdmin, otherAccountId, "sales-agent");

        foreach (var userId in new[] { Guid.NewGuid(), outsider })
        {
            using var get = await admin.GetAsync(new Uri(UserUri(accountId, userId), UriKind.Relative));
            using var put = await admin.SendAsync(Json(HttpMethod.Put, UserUri(accountId, userId), new { displayName = "x" }, "*"));
            using var delete = await admin.SendAsync(Json(HttpMethod.Delete, UserUri(accountId, userId), null, "*"));
            using var reset = await ResetPasswordAsync(admin, accountId, userId);

            foreach (var response in new[] { get, put, delete, reset })
            {
                await AssertProblemAsync(response, HttpStatusCode.NotFound, "user_not_found");
            }
        }

        Assert.That(await ListUsersAsync(otherAdmin, otherAccountId), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task GetUser_WhenETagMatches_ShouldReturn304UntilTheUserChanges()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (_, userId, _) = await NewMemberAsync(admin, accountId, "sales-agent");
        var (_, etag) = await GetWithETagAsync(admin, UserUri(accountId, userId));

        using (var request = new HttpRequestMessage(HttpMethod.Get, UserUri(accountId, userId)))
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
            using var unchanged = await admin.SendAsync(request);
            Assert.That(unchanged.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        }

        using (var assign = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"{UserUri(accountId, userId)}/roles/billing-admin")))
        {
            Assert.That(assign.StatusCode, Is.EqualTo(HttpStatusCode.OK), await assign.Content.ReadAsStringAsync());
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, UserUri(accountId, userId)))
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
            using var changed = await admin.SendAsync(request);
            Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the roles in the representation changed, so its ETag must change");
            Assert.That(RoleIds(await ReadJsonAsync(changed)), Is.EqualTo(new[] { "billing-admin", "sales-agent" }));
            Assert.That(changed.Headers.ETag?.Tag, Is.Not.EqualTo(etag));
        }
    }

    // ---- update

    [Test]
    public async Task UpdateUser_WhenIfMatchIsCurrent_ShouldRenameAndReturnANewETag()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (_, userId, _) = await NewMemberAsync(admin, accountId, "sales-agent");
        var (before, etag) = await GetWithETagAsync(admin, UserUri(accountId, userId));

        using var response = await admin.SendAsync(Json(HttpMethod.Put, UserUri(accountId, userId), new { displayName = "  Renamed Person  " }, etag));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var body = await ReadJsonAsync(response);
        Assert.That(body["displayName"]!.GetValue<string>(), Is.EqualTo("Renamed Person"));
        Assert.That(RoleIds(body), Is.EqualTo(new[] { "sales-agent" }));
        Assert.That(response.Headers.ETag?.Tag, Is.Not.Null.And.Not.EqualTo(etag));
        var (after, newETag) = await GetWithETagAsync(admin, UserUri(accountId, userId));
        Assert.That(after["displayName"]!.GetValue<string>(), Is.EqualTo("Renamed Person"));
        Assert.That(after["email"]!.GetValue<string>(), Is.EqualTo(before["email"]!.GetValue<string>()));
        Assert.That(newETag, Is.EqualTo(response.Headers.ETag!.Tag));
    }

    [Test]
    public async Task UpdateUser_WhenIfMatchIsMissing_ShouldReturn428()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (_, userId, _) = await NewMemberAsync(admin, accountId, "sales-agent");

        using var response = await admin.SendAsync(Json(HttpMethod.Put, UserUri(accountId, userId), new { displayName = "No Precondition" }));

        await AssertProblemAsync(response, HttpStatusCode.PreconditionRequired, "if_match_required");
        var (user, _) = await GetWithETagAsync(admin, UserUri(accountId, userId));
        Assert.That(user["displayName"], Is.Null);
    }

    [Test]
    public async Task UpdateUser_WhenETagIsStale_ShouldReturn412AndKeepTheNewerName()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (_, userId, _) = await NewMemberAsync(admin, accountId, "sales-agent");
        var (_, stale) = await GetWithETagAsync(admin, UserUri(accountId, userId));
        using (var first = await admin.SendAsync(Json(HttpMethod.Put, UserUri(accountId, userId), new { displayName = "First Writer" }, stale)))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var second = await admin.SendAsync(Json(HttpMethod.Put, UserUri(accountId, userId), new { displayName = "Second Writer" }, stale));

        await AssertProblemAsync(second, HttpStatusCode.PreconditionFailed, "etag_mismatch");
        var (user, _) = await GetWithETagAsync(admin, UserUri(accountId, userId));
        Assert.That(user["displayName"]!.GetValue<string>(), Is.EqualTo("First Writer"));
    }

    [TestCase("{}")]
    [TestCase("{\"displayName\": \"   \"}")]
    public async Task UpdateUser_WhenDisplayNameIsMissingOrTooLong_ShouldReturn400NamingIt(string raw)
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (_, userId, _) = await NewMemberAsync(admin, accountId, "sales-agent");

        using var missing = await admin.SendAsync(Json(HttpMethod.Put, UserUri(accountId, userId), raw, "*"));
        using var tooLong = await admin.SendAsync(Json(HttpMethod.Put, UserUri(accountId, userId), new { displayName = new string('x', 201) }, "*"));

        Assert.That(FieldErrors(await AssertProblemAsync(missing, HttpStatusCode.BadRequest, "validation_failed")), Is.EqualTo(new[] { "displayName" }));
        Assert.That(FieldErrors(await AssertProblemAsync(tooLong, HttpStatusCode.BadRequest, "validation_failed")), Is.EqualTo(new[] { "displayName" }));
    }

    [TestCase("account-admin")]
    [TestCase("mpn-partner-admin")]
    [TestCase("billing-admin")]
    public async Task ManageUser_WhenCallerIsNeitherGlobalNorUserManagementAdmin_ShouldReturn403AndChangeNothing(string callerRole)
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (member, _, _) = await NewMemberAsync(admin, accountId, callerRole);
        var (_, userId, email) = await NewMemberAsync(admin, accountId, "sales-agent");
        var hashBefore = await PasswordHashAsync(email);

        using var put = await member.SendAsync(Json(HttpMethod.Put, UserUri(accountId, userId), new { displayName = "Hijacked" }, "*"));
        using var delete = await member.SendAsync(Json(HttpMethod.Delete, UserUri(accountId, userId), null, "*"));
        using var reset = await ResetPasswordAsync(member, accountId, userId);

        await AssertProblemAsync(put, HttpStatusCode.Forbidden, "permission_denied");
        await AssertProblemAsync(delete, HttpStatusCode.Forbidden, "permission_denied");
        await AssertProblemAsync(reset, HttpStatusCode.Forbidden, "permission_denied");
        var (user, _) = await GetWithETagAsync(admin, UserUri(accountId, userId));
        Assert.That(user["displayName"], Is.Null);
        Assert.That(await PasswordHashAsync(email), Is.EqualTo(hashBefore));
    }

    [Test]
    public async Task ManageUser_WhenUserManagementAdminManagesAnOrdinaryUser_ShouldSucceed()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (manager, _, _) = await NewMemberAsync(admin, accountId, "user-management-admin");
        var (_, userId, email) = await NewMemberAsync(admin, accountId, "sales-agent");

        using var put = await manager.SendAsync(Json(HttpMethod.Put, UserUri(accountId, userId), new { displayName = "Managed" }, "*"));
        using var reset = await ResetPasswordAsync(manager, accountId, userId);
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());
        Assert.That(reset.StatusCode, Is.EqualTo(HttpStatusCode.Created), await reset.Content.ReadAsStringAsync());
        var (_, token) = await SignInAsync(email, (await ReadJsonAsync(reset))["temporaryPassword"]!.GetValue<string>());
        Assert.That(token["passwordChangeRequired"]!.GetValue<bool>(), Is.True);

        var (_, etag) = await GetWithETagAsync(manager, UserUri(accountId, userId));
        using var delete = await manager.SendAsync(Json(HttpMethod.Delete, UserUri(accountId, userId), null, etag));
        Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await delete.Content.ReadAsStringAsync());
        Assert.That((await ListUsersAsync(admin, accountId)).Select(u => u["id"]!.GetValue<Guid>()), Does.Not.Contain(userId));
    }

    [Test]
    public async Task ManageUser_WhenUserManagementAdminTargetsAGlobalAdmin_ShouldRefuseRemovalAndPasswordReset()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (manager, _, _) = await NewMemberAsync(admin, accountId, "user-management-admin");
        var (_, globalAdminId, email) = await NewMemberAsync(admin, accountId, "global-admin");
        var hashBefore = await PasswordHashAsync(email);
        var (_, etag) = await GetWithETagAsync(manager, UserUri(accountId, globalAdminId));

        using var delete = await manager.SendAsync(Json(HttpMethod.Delete, UserUri(accountId, globalAdminId), null, etag));
        using var reset = await ResetPasswordAsync(manager, accountId, globalAdminId);

        await AssertProblemAsync(delete, HttpStatusCode.Forbidden, "permission_denied");
        await AssertProblemAsync(reset, HttpStatusCode.Forbidden, "permission_denied");
        Assert.That((await ListUsersAsync(admin, accountId)).Select(u => u["id"]!.GetValue<Guid>()), Does.Contain(globalAdminId));
        Assert.That(await PasswordHashAsync(email), Is.EqualTo(hashBefore));
    }

    // ---- remove

    [Test]
    public async Task RemoveUser_WhenIfMatchIsCurrent_ShouldRemoveTheMembershipAndTheirAccess()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (member, userId, _) = await NewMemberAsync(admin, accountId, "billing-admin");
        var (_, etag) = await GetWithETagAsync(admin, UserUri(accountId, userId));

        using var response = await admin.SendAsync(Json(HttpMethod.Delete, UserUri(accountId, userId), null, etag));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync());
        using var get = await admin.GetAsync(new Uri(UserUri(accountId, userId), UriKind.Relative));
        await AssertProblemAsync(get, HttpStatusCode.NotFound, "user_not_found");
        var holders = (await admin.GetFromJsonAsync<JsonObject>($"/v1/accounts/{accountId}/roles/billing-admin/members"))!["items"]!.AsArray();
        Assert.That(holders, Is.Empty);
        using var former = await member.GetAsync(new Uri($"/v1/accounts/{accountId}/profiles/billing", UriKind.Relative));
        await AssertProblemAsync(former, HttpStatusCode.NotFound, "account_not_found");
        Assert.That(await PickerAsync(member), Is.Empty);
        using var again = await admin.SendAsync(Json(HttpMethod.Delete, UserUri(accountId, userId), null, etag));
        await AssertProblemAsync(again, HttpStatusCode.NotFound, "user_not_found");
    }

    [Test]
    public async Task RemoveUser_WhenIfMatchIsMissingOrStale_ShouldReturn428Or412AndKeepTheUser()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (_, userId, _) = await NewMemberAsync(admin, accountId, "sales-agent");
        var (_, stale) = await GetWithETagAsync(admin, UserUri(accountId, userId));
        using (var rename = await admin.SendAsync(Json(HttpMethod.Put, UserUri(accountId, userId), new { displayName = "Moved On" }, stale)))
        {
            Assert.That(rename.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var missing = await admin.SendAsync(Json(HttpMethod.Delete, UserUri(accountId, userId), null));
        using var mismatched = await admin.SendAsync(Json(HttpMethod.Delete, UserUri(accountId, userId), null, stale));

        await AssertProblemAsync(missing, HttpStatusCode.PreconditionRequired, "if_match_required");
        await AssertProblemAsync(mismatched, HttpStatusCode.PreconditionFailed, "etag_mismatch");
        Assert.That((await ListUsersAsync(admin, accountId)).Select(u => u["id"]!.GetValue<Guid>()), Does.Contain(userId));
    }

    [Test]
    public async Task RemoveUser_WhenUserIsTheOnlyGlobalAdmin_ShouldReturn409AndKeepThem()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var adminId = (await ListUsersAsync(admin, accountId)).Single()["id"]!.GetValue<Guid>();
        var (_, etag) = await GetWithETagAsync(admin, UserUri(accountId, adminId));

        using var response = await admin.SendAsync(Json(HttpMethod.Delete, UserUri(accountId, adminId), null, etag));

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "last_global_admin");
        Assert.That(RoleIds((await ListUsersAsync(admin, accountId)).Single()), Is.EqualTo(new[] { "global-admin" }));
    }

    [Test]
    public async Task RemoveUser_WhenAnotherGlobalAdminRemains_ShouldRemoveAGlobalAdmin()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (_, secondId, _) = await NewMemberAsync(admin, accountId, "global-admin");
        var (_, etag) = await GetWithETagAsync(admin, UserUri(accountId, secondId));

        using var response = await admin.SendAsync(Json(HttpMethod.Delete, UserUri(accountId, secondId), null, etag));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync());
        Assert.That(await ListUsersAsync(admin, accountId), Has.Count.EqualTo(1));
    }

    // ---- password resets

    [Test]
    public async Task ResetUserPassword_WhenGlobalAdminResets_ShouldIssueANewTemporaryPasswordAndRetireTheOldOne()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var email = NewEmail("forgetful");
        var (userId, firstPassword) = await InviteAsync(admin, accountId, email, "sales-agent");

        using var response = await ResetPasswordAsync(admin, accountId, userId);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var body = await ReadJsonAsync(response);
        var temporaryPassword = body["temporaryPassword"]!.GetValue<string>();
        Assert.That(temporaryPassword, Is.Not.EqualTo(firstPassword).And.Length.GreaterThanOrEqualTo(12));
        Assert.That(body["expiresAt"]!.GetValue<DateTime>(), Is.EqualTo(DateTime.UtcNow.AddDays(3)).Within(TimeSpan.FromMinutes(5)));
        using (var anonymous = Anonymous())
        using (var old = await anonymous.PostAsJsonAsync("/v1/auth/token", new { email, password = firstPassword }))
        {
            await AssertProblemAsync(old, HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        var (restricted, token) = await SignInAsync(email, temporaryPassword);
        Assert.That(token["passwordChangeRequired"]!.GetValue<bool>(), Is.True);
        using var blocked = await restricted.GetAsync(new Uri("/v1/me/accounts", UriKind.Relative));
        await AssertProblemAsync(blocked, HttpStatusCode.Forbidden, "password_change_required");
    }

    // Changed with the identity model (docs/adr/0006-identity-model.md): the attacker's account now has a credential of its
    // own for the person, which it may reset (201); what must hold is that the victim account's credential is untouched.
    [TestCase("global-admin")]
    [TestCase("sales-agent")]
    public async Task ResetUserPassword_WhenPersonAlsoBelongsToAnAccountOfSomeoneElse_ShouldResetOnlyItsOwnCredentialAndKeepTheirPasswordThere(string roleThere)
    {
        var (victimClient, victimAccountId, _) = await NewAdminWithAccountAsync();
        var (attacker, attackerAccountId, _) = await NewAdminWithAccountAsync();
        var victimEmail = NewEmail("victim");
        var (victimUserId, _) = await InviteAsync(victimClient, victimAccountId, victimEmail, roleThere);
        var (userId, _) = await InviteAsync(attacker, attackerAccountId, victimEmail, "sales-agent");
        var hashBefore = await PasswordHashAsync(victimUserId);

        using var response = await ResetPasswordAsync(attacker, attackerAccountId, userId);
        using var victims = await ResetPasswordAsync(attacker, attackerAccountId, victimUserId);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        await AssertProblemAsync(victims, HttpStatusCode.NotFound, "user_not_found");
        Assert.That(await PasswordHashAsync(victimUserId), Is.EqualTo(hashBefore));
        const string known = "known-to-attacker-42";
        await IdentityModelTests.ChangeTemporaryPasswordAsync(victimEmail, (await ReadJsonAsync(response))["temporaryPassword"]!.GetValue<string>(), known, attackerAccountId);
        var (intoVictim, _) = await SignInAsync(victimEmail, known);
        using var victimAccount = await intoVictim.GetAsync($"/v1/accounts/{victimAccountId}");
        await AssertProblemAsync(victimAccount, HttpStatusCode.NotFound, "account_not_found");
    }

    // Changed with the identity model: a credential is a member of several accounts only when its holder created an account
    // with it; then resetting it needs user management in each of them, as before.
    [Test]
    public async Task ResetUserPassword_WhenCallerManagesUsersInEveryAccountOfTheCredential_ShouldSucceed()
    {
        using var admin = As(NewEmail("multi-admin"));
        var first = (await CreateAccountAsync(admin))["id"]!.GetValue<Guid>();
        var email = NewEmail("shared");
        var (userId, temporary) = await InviteAsync(admin, first, email, "sales-agent");
        const string password = "shared-person-Passw0rd";
        await IdentityModelTests.ChangeTemporaryPasswordAsync(email, temporary!, password);
        var (person, _) = await SignInAsync(email, password);
        var second = (await CreateAccountAsync(person))["id"]!.GetValue<Guid>();
        using (var invite = await person.PostAsJsonAsync(UsersUri(second), new { email = AdminEmailOf(admin), roles = new[] { "global-admin" } }))
        {
            Assert.That(invite.StatusCode, Is.EqualTo(HttpStatusCode.Created), await invite.Content.ReadAsStringAsync());
        }

        var (manager, _, _) = await NewMemberAsync(admin, first, "user-management-admin");
        using (var byManager = await ResetPasswordAsync(manager, first, userId))
        {
            await AssertProblemAsync(byManager, HttpStatusCode.Forbidden, "permission_denied");
        }

        using var response = await ResetPasswordAsync(admin, first, userId);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var (_, token) = await SignInAsync(email, (await ReadJsonAsync(response))["temporaryPassword"]!.GetValue<string>());
        Assert.That(token["passwordChangeRequired"]!.GetValue<bool>(), Is.True);
    }

    private static string AdminEmailOf(HttpClient client)
    {
        var jwt = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(client.DefaultRequestHeaders.Authorization!.Parameter);
        return jwt.GetClaim("email").Value;
    }

    // ---- passwords at rest and in the audit

    [Test]
    public async Task InviteAndReset_ShouldStorePasswordsOnlyAsIdentityV3Hashes()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var email = NewEmail("hashed");
        var (userId, temporaryPassword) = await InviteAsync(admin, accountId, email, "sales-agent");
        var firstHash = await PasswordHashAsync(email);
        using var reset = await ResetPasswordAsync(admin, accountId, userId);
        var resetPassword = (await ReadJsonAsync(reset))["temporaryPassword"]!.GetValue<string>();
        var resetHash = await PasswordHashAsync(email);

        foreach (var (hash, password) in new[] { (firstHash, temporaryPassword!), (resetHash, resetPassword) })
        {
            Assert.That(hash, Is.Not.Null.And.Not.Contains(password));
            var bytes = Convert.FromBase64String(hash!);
            Assert.That(bytes[0], Is.EqualTo(0x01), "ASP.NET Core Identity V3 format marker");
            Assert.That(bytes, Has.Length.GreaterThanOrEqualTo(1 + 12 + 16 + 32), "header, salt and subkey");
        }

        Assert.That(resetHash, Is.Not.EqualTo(firstHash));

        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId);
        Assert.That(user.MustChangePassword, Is.True);
    }

    [Test]
    public async Task UserChanges_ShouldAllBeInTheAuditRecordsWithoutAnyPassword()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var email = NewEmail("audited");
        var (userId, temporaryPassword) = await InviteAsync(admin, accountId, email, "sales-agent");
        var (_, etag) = await GetWithETagAsync(admin, UserUri(accountId, userId));
        using (var rename = await admin.SendAsync(Json(HttpMethod.Put, UserUri(accountId, userId), new { displayName = "Audited Person" }, etag)))
        {
            Assert.That(rename.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using (var assign = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"{UserUri(accountId, userId)}/roles/billing-admin")))
        using (var revoke = await admin.DeleteAsync(new Uri($"{UserUri(accountId, userId)}/roles/sales-agent", UriKind.Relative)))
        {
            Assert.That(assign.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        using var reset = await ResetPasswordAsync(admin, accountId, userId);
        var resetPassword = (await ReadJsonAsync(reset))["temporaryPassword"]!.GetValue<string>();
        var (_, etagNow) = await GetWithETagAsync(admin, UserUri(accountId, userId));
        using (var delete = await admin.SendAsync(Json(HttpMethod.Delete, UserUri(accountId, userId), null, etagNow)))
        {
            Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await delete.Content.ReadAsStringAsync());
        }

        var records = (await AuditAsync(admin, accountId)).Where(r => r["resourceId"]?.GetValue<string>() == userId.ToString()).ToList();
        string Key(JsonObject r) => r["action"]!.GetValue<string>() + " " + r["resource"]!.GetValue<string>();
        Assert.That(records.Select(Key), Is.EquivalentTo(new[]
        {
            "invited users", "updated users", "roleAssigned users/roles", "roleRemoved users/roles", "passwordReset users", "removed users",
        }));
        var invited = records.Single(r => Key(r) == "invited users");
        var updated = records.Single(r => Key(r) == "updated users");
        var assigned = records.Single(r => Key(r) == "roleAssigned users/roles");
        var removed = records.Single(r => Key(r) == "removed users");
        Assert.Multiple(() =>
        {
            Assert.That(invited["after"]!["email"]!.GetValue<string>(), Is.EqualTo(email));
            Assert.That(RoleIds(invited["after"]!), Is.EqualTo(new[] { "sales-agent" }));
            Assert.That(updated["before"]!["displayName"], Is.Null);
            Assert.That(updated["after"]!["displayName"]!.GetValue<string>(), Is.EqualTo("Audited Person"));
            Assert.That(assigned["after"]!["roleId"]!.GetValue<string>(), Is.EqualTo("billing-admin"));
            Assert.That(removed["before"]!["email"]!.GetValue<string>(), Is.EqualTo(email));
            Assert.That(removed["after"], Is.Null);
            Assert.That(records.Select(r => r["actor"]!.GetValue<string>()).Distinct().Count(), Is.EqualTo(1), "the admin made every change");
        });

        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var stored = await db.AuditRecords.AsNoTracking().Where(a => a.AccountId == accountId)
            .Select(a => (a.Before ?? string.Empty) + "\n" + (a.After ?? string.Empty)).ToListAsync();
        var everything = string.Join("\n", stored);
        Assert.That(everything, Does.Not.Contain(temporaryPassword!).And.Not.Contain(resetPassword));
        Assert.That(everything, Does.Not.Contain("AQAAAA"), "no password hash either");
    }

    // ---- permissions on the other endpoints

    [Test]
    public async Task Profiles_WhenMemberIsOnlyASalesAgent_ShouldReadButNotWrite()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (agent, _, _) = await NewMemberAsync(admin, accountId, "sales-agent");
        var uri = $"/v1/accounts/{accountId}/profiles/legalbusiness";
        var (current, etag) = await GetWithETagAsync(agent, uri);

        using var put = await agent.SendAsync(Json(HttpMethod.Put, uri, new
        {
            companyName = "Taken Over Ltd",
            address = current["address"],
            primaryContact = current["primaryContact"],
            companyApprover = current["companyApprover"],
        }, etag));

        await AssertProblemAsync(put, HttpStatusCode.Forbidden, "permission_denied");
        var (after, _) = await GetWithETagAsync(admin, uri);
        Assert.That(after["companyName"]!.GetValue<string>(), Is.EqualTo(current["companyName"]!.GetValue<string>()));
        using var billing = await agent.GetAsync(new Uri($"/v1/accounts/{accountId}/profiles/billing", UriKind.Relative));
        await AssertProblemAsync(billing, HttpStatusCode.Forbidden, "permission_denied");
        using var audit = await agent.GetAsync(new Uri($"/v1/accounts/{accountId}/auditrecords", UriKind.Relative));
        await AssertProblemAsync(audit, HttpStatusCode.Forbidden, "permission_denied");
    }

    [Test]
    public async Task Profiles_WhenMemberIsABillingAdmin_ShouldWriteBillingButNotTheLegalProfile()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (billingAdmin, _, _) = await NewMemberAsync(admin, accountId, "billing-admin");
        var billingUri = $"/v1/accounts/{accountId}/profiles/billing";
        var legalUri = $"/v1/accounts/{accountId}/profiles/legalbusiness";
        var (_, billingETag) = await GetWithETagAsync(billingAdmin, billingUri);
        var (legal, legalETag) = await GetWithETagAsync(billingAdmin, legalUri);

        using var billing = await billingAdmin.SendAsync(Json(HttpMethod.Put, billingUri, new
        {
            address = new { addressLine1 = "10 Downing St", city = "London", postalCode = "SW1A 2AA", country = "GB" },
            purchaseOrderNumber = "PO-BILLING-ADMIN",
        }, billingETag));
        using var legalPut = await billingAdmin.SendAsync(Json(HttpMethod.Put, legalUri, new
        {
            companyName = "Not Allowed Ltd",
            address = legal["address"],
            primaryContact = legal["primaryContact"],
            companyApprover = legal["companyApprover"],
        }, legalETag));

        Assert.That(billing.StatusCode, Is.EqualTo(HttpStatusCode.OK), await billing.Content.ReadAsStringAsync());
        await AssertProblemAsync(legalPut, HttpStatusCode.Forbidden, "permission_denied");
        var (billingAfter, _) = await GetWithETagAsync(admin, billingUri);
        Assert.That(billingAfter["purchaseOrderNumber"]!.GetValue<string>(), Is.EqualTo("PO-BILLING-ADMIN"));
        var (legalAfter, _) = await GetWithETagAsync(admin, legalUri);
        Assert.That(legalAfter["companyName"]!.GetValue<string>(), Is.EqualTo(legal["companyName"]!.GetValue<string>()));
    }

    [Test]
    public async Task Profiles_WhenAccountAdminWrites_ShouldSucceedButUsersStayOutOfReach()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (accountAdmin, _, _) = await NewMemberAsync(admin, accountId, "account-admin");
        var legalUri = $"/v1/accounts/{accountId}/profiles/legalbusiness";
        var (legal, etag) = await GetWithETagAsync(accountAdmin, legalUri);

        using var put = await accountAdmin.SendAsync(Json(HttpMethod.Put, legalUri, new
        {
            companyName = "Renamed By Account Admin Ltd",
            address = legal["address"],
            primaryContact = legal["primaryContact"],
            companyApprover = legal["companyApprover"],
        }, etag));
        using var users = await accountAdmin.GetAsync(new Uri(UsersUri(accountId), UriKind.Relative));

        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());
        Assert.That(users.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
