using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PartnerAccounts.Api.Auth;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>
/// The identity model of docs/adr/0006-identity-model.md: a local credential belongs to the account that issued it, a token from
/// local sign-in reaches only that credential's accounts, tokens are retired by a password change or a removal, and only a
/// verified email (or the claims Auth:IdentityClaims names) identifies a person.
/// </summary>
public sealed class IdentityModelTests : ApiTest
{
    private const string BPassword = "chosen-by-B-admin-42";

    /// <summary>Issue 11's attack, step by step: B's admin knows Frank's B password; A invites Frank later.</summary>
    [Test]
    public async Task CrossAccountTakeover_WhenAnotherAccountInvitesThePersonLater_ShouldNotLetTheFirstAccountsAdminIn()
    {
        var (aAdmin, aAccount, _) = await NewAdminWithAccountAsync();
        var (bAdmin, bAccount, _) = await NewAdminWithAccountAsync();
        var frank = NewEmail("frank");

        // B invites Frank, and B's admin signs in as Frank with the temporary password and sets a password they know.
        var (_, bTemporary) = await InviteAsync(bAdmin, bAccount, frank, "sales-agent");
        await ChangeTemporaryPasswordAsync(frank, bTemporary!, BPassword);

        // Later A invites the same person as a Global admin: A gets its own credential and temporary password.
        using var invite = await aAdmin.PostAsJsonAsync($"/v1/accounts/{aAccount}/users", new { email = frank, roles = new[] { "global-admin" } });
        Assert.That(invite.StatusCode, Is.EqualTo(HttpStatusCode.Created), await invite.Content.ReadAsStringAsync());
        var invited = await ReadJsonAsync(invite);
        Assert.That(invited["temporaryPassword"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, "A issues its own credential");

        // B's admin signs in as Frank with the password they chose: A's billing and API keys stay out of reach.
        var (attacker, _) = await SignInAsync(frank, BPassword);
        using var billing = await attacker.GetAsync($"/v1/accounts/{aAccount}/profiles/billing");
        using var keys = await attacker.PostAsJsonAsync($"/v1/accounts/{aAccount}/api-keys", new { name = "stolen" });
        await AssertProblemAsync(billing, HttpStatusCode.NotFound, "account_not_found");
        await AssertProblemAsync(keys, HttpStatusCode.NotFound, "account_not_found");
        Assert.That(await PickerAsync(attacker), Is.EqualTo(new[] { bAccount }), "the picker of B's credential lists B only");

        // Naming A's account with B's password does not help either.
        using var anonymous = Anonymous();
        using var named = await anonymous.PostAsJsonAsync("/v1/auth/token", new { email = frank, password = BPassword, accountId = aAccount });
        await AssertProblemAsync(named, HttpStatusCode.Unauthorized, "invalid_credentials");

        // Frank takes A's credential; it opens A (as Global admin) and not B.
        const string aPassword = "franks-own-A-pass-7";
        await ChangeTemporaryPasswordAsync(frank, invited["temporaryPassword"]!.GetValue<string>(), aPassword, aAccount);
        var (frankInA, _) = await SignInAsync(frank, aPassword);
        using var billingOfA = await frankInA.GetAsync($"/v1/accounts/{aAccount}/profiles/billing");
        using var usersOfB = await frankInA.GetAsync($"/v1/accounts/{bAccount}/users");
        Assert.That(billingOfA.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await AssertProblemAsync(usersOfB, HttpStatusCode.NotFound, "account_not_found");
        Assert.That(await PickerAsync(frankInA), Is.EqualTo(new[] { aAccount }));
    }

    [Test]
    public async Task ResetUserPassword_WhenEachAccountResetsItsOwnCredential_ShouldNeverTouchTheOtherAccountsCredential()
    {
        var (aAdmin, aAccount, _) = await NewAdminWithAccountAsync();
        var (bAdmin, bAccount, _) = await NewAdminWithAccountAsync();
        var frank = NewEmail("frank");
        var (bUserId, bTemporary) = await InviteAsync(bAdmin, bAccount, frank, "sales-agent");
        await ChangeTemporaryPasswordAsync(frank, bTemporary!, BPassword);
        var (aUserId, aTemporary) = await InviteAsync(aAdmin, aAccount, frank, "billing-admin");
        const string aPassword = "franks-own-A-pass-8";
        await ChangeTemporaryPasswordAsync(frank, aTemporary!, aPassword, aAccount);

        // B cannot even address A's credential; A's admin resets it.
        using var fromB = await bAdmin.PostAsync($"/v1/accounts/{bAccount}/users/{aUserId}/password-resets", null);
        await AssertProblemAsync(fromB, HttpStatusCode.NotFound, "user_not_found");
        using var fromA = await aAdmin.PostAsync($"/v1/accounts/{aAccount}/users/{aUserId}/password-resets", null);
        Assert.That(fromA.StatusCode, Is.EqualTo(HttpStatusCode.Created), await fromA.Content.ReadAsStringAsync());

        // B's reset of B's credential leaves A's credential working.
        using var bReset = await bAdmin.PostAsync($"/v1/accounts/{bAccount}/users/{bUserId}/password-resets", null);
        Assert.That(bReset.StatusCode, Is.EqualTo(HttpStatusCode.Created), await bReset.Content.ReadAsStringAsync());
        var aResetPassword = (await ReadJsonAsync(fromA))["temporaryPassword"]!.GetValue<string>();
        var (_, token) = await SignInAsync(frank, aResetPassword);
        Assert.That(token["passwordChangeRequired"]!.GetValue<bool>(), Is.True, "A's reset password is A's credential's");
    }

    [Test]
    public async Task SignIn_WhenThePersonHasCredentialsOfTwoAccounts_ShouldPickTheOneThePasswordOrAccountIdNames()
    {
        var (aAdmin, aAccount, _) = await NewAdminWithAccountAsync();
        var (bAdmin, bAccount, _) = await NewAdminWithAccountAsync();
        var person = NewEmail("two");
        var (_, bTemporary) = await InviteAsync(bAdmin, bAccount, person, "sales-agent");
        var (_, aTemporary) = await InviteAsync(aAdmin, aAccount, person, "sales-agent");
        await ChangeTemporaryPasswordAsync(person, bTemporary!, "b-password-of-two-1", bAccount);
        await ChangeTemporaryPasswordAsync(person, aTemporary!, "a-password-of-two-1", aAccount);

        var (inB, _) = await SignInAsync(person, "b-password-of-two-1");
        var (inA, _) = await SignInAsync(person, "a-password-of-two-1");
        using var anonymous = Anonymous();
        using var viaAccount = await anonymous.PostAsJsonAsync("/v1/auth/token", new { email = person, password = "b-password-of-two-1", accountId = bAccount });

        Assert.That(await PickerAsync(inB), Is.EqualTo(new[] { bAccount }));
        Assert.That(await PickerAsync(inA), Is.EqualTo(new[] { aAccount }));
        Assert.That(viaAccount.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task ExternalToken_WhenThePersonHasCredentialsOfTwoAccounts_ShouldReachEveryMembershipOfTheVerifiedEmail()
    {
        var (aAdmin, aAccount, _) = await NewAdminWithAccountAsync();
        var (bAdmin, bAccount, _) = await NewAdminWithAccountAsync();
        var person = NewEmail("external");
        await InviteAsync(aAdmin, aAccount, person, "billing-admin");
        await InviteAsync(bAdmin, bAccount, person, "account-admin");

        using var external = As(person);

        Assert.That(await PickerAsync(external), Is.EquivalentTo(new[] { aAccount, bAccount }));
        using var picker = await external.GetAsync("/v1/me/accounts");
        var roles = (await ReadJsonAsync(picker))["items"]!.AsArray().ToDictionary(
            a => a!["accountId"]!.GetValue<Guid>(), a => a!["roles"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToList());
        Assert.That(roles[aAccount], Is.EqualTo(new[] { "billing-admin" }));
        Assert.That(roles[bAccount], Is.EqualTo(new[] { "account-admin" }));
    }

    [Test]
    public async Task Token_WhenIssuedBeforeAPasswordChange_ShouldBeRefusedAfterwards()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var person = NewEmail("changer");
        var (_, temporary) = await InviteAsync(admin, accountId, person, "billing-admin");
        await ChangeTemporaryPasswordAsync(person, temporary!, "first-password-abc-1");
        var (before, _) = await SignInAsync(person, "first-password-abc-1");
        using (var works = await before.GetAsync($"/v1/accounts/{accountId}/profiles/billing"))
        {
            Assert.That(works.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var (other, _) = await SignInAsync(person, "first-password-abc-1");
        using (var change = await other.PostAsJsonAsync("/v1/me/password", new { currentPassword = "first-password-abc-1", newPassword = "second-password-abc-2" }))
        {
            Assert.That(change.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await change.Content.ReadAsStringAsync());
        }

        using var billing = await before.GetAsync($"/v1/accounts/{accountId}/profiles/billing");
        using var picker = await before.GetAsync("/v1/me/accounts");
        await AssertProblemAsync(billing, HttpStatusCode.NotFound, "account_not_found");
        await AssertProblemAsync(picker, HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Test]
    public async Task Token_WhenIssuedBeforeAPasswordReset_ShouldBeRefusedAfterwards()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var person = NewEmail("reset");
        var (userId, temporary) = await InviteAsync(admin, accountId, person, "billing-admin");
        await ChangeTemporaryPasswordAsync(person, temporary!, "first-password-abc-3");
        var (before, _) = await SignInAsync(person, "first-password-abc-3");

        using (var reset = await admin.PostAsync($"/v1/accounts/{accountId}/users/{userId}/password-resets", null))
        {
            Assert.That(reset.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        using var billing = await before.GetAsync($"/v1/accounts/{accountId}/profiles/billing");
        await AssertProblemAsync(billing, HttpStatusCode.NotFound, "account_not_found");
    }

    [Test]
    public async Task Token_WhenIssuedBeforeARemovalFromTheAccount_ShouldBeRefusedAfterAReinvitation()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var person = NewEmail("removed");
        var (userId, temporary) = await InviteAsync(admin, accountId, person, "billing-admin");
        await ChangeTemporaryPasswordAsync(person, temporary!, "first-password-abc-4");
        var (before, _) = await SignInAsync(person, "first-password-abc-4");

        using (var remove = await admin.SendAsync(Json(HttpMethod.Delete, $"/v1/accounts/{accountId}/users/{userId}", null, "*")))
        {
            Assert.That(remove.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await remove.Content.ReadAsStringAsync());
        }

        await InviteAsync(admin, accountId, person, "billing-admin");

        using var billing = await before.GetAsync($"/v1/accounts/{accountId}/profiles/billing");
        await AssertProblemAsync(billing, HttpStatusCode.NotFound, "account_not_found");
    }

    [Test]
    public async Task AnyEndpoint_WhenTheTokenSaysTheEmailIsNotVerified_ShouldReturn401()
    {
        var (_, accountId, _) = await NewAdminWithAccountAsync();
        var email = NewEmail("unverified");
        using var unverified = WithToken(Token(new Dictionary<string, object> { ["email"] = email, ["email_verified"] = false }));
        using var verified = WithToken(Token(new Dictionary<string, object> { ["email"] = email, ["email_verified"] = true }));

        using var refused = await unverified.GetAsync("/v1/me/accounts");
        using var create = await unverified.PostAsJsonAsync("/v1/accounts", NewAccountBody());
        using var account = await unverified.GetAsync($"/v1/accounts/{accountId}");
        using var accepted = await verified.GetAsync("/v1/me/accounts");

        await AssertProblemAsync(refused, HttpStatusCode.Unauthorized, "unauthenticated");
        await AssertProblemAsync(create, HttpStatusCode.Unauthorized, "unauthenticated");
        await AssertProblemAsync(account, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("preferred_username")]
    [TestCase("sub")]
    public async Task AnyEndpoint_WhenOnlyAnotherClaimLooksLikeTheEmail_ShouldIdentifyNobodyUnlessConfigured(string claim)
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var victim = NewEmail("victim");
        await InviteAsync(admin, accountId, victim, "billing-admin");
        var token = Token(new Dictionary<string, object> { [claim] = victim });

        using var byDefault = WithToken(token);
        using var refused = await byDefault.GetAsync($"/v1/accounts/{accountId}/profiles/billing");
        await AssertProblemAsync(refused, HttpStatusCode.Unauthorized, "unauthenticated");

        await using var trusting = Factory.WithWebHostBuilder(b => b.UseSetting("Auth:IdentityClaims", "email," + claim));
        using var configured = trusting.CreateClient();
        configured.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var served = await configured.GetAsync($"/v1/accounts/{accountId}/profiles/billing");
        Assert.That(served.StatusCode, Is.EqualTo(HttpStatusCode.OK), await served.Content.ReadAsStringAsync());
    }

    /// <summary>Signs in with the temporary password (of <paramref name="accountId"/>'s credential when given) and sets <paramref name="password"/>.</summary>
    internal static async Task ChangeTemporaryPasswordAsync(string email, string temporary, string password, Guid? accountId = null)
    {
        using var anonymous = Anonymous();
        using var signIn = await anonymous.PostAsJsonAsync("/v1/auth/token", new { email, password = temporary, accountId });
        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.OK), await signIn.Content.ReadAsStringAsync());
        using var client = WithToken((await ReadJsonAsync(signIn))["accessToken"]!.GetValue<string>());
        using var change = await client.PostAsJsonAsync("/v1/me/password", new { currentPassword = temporary, newPassword = password });
        Assert.That(change.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await change.Content.ReadAsStringAsync());
    }

    internal static HttpClient WithToken(string token)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A token of "the external authority" (signed with the test key) carrying exactly <paramref name="claims"/>.</summary>
    private static string Token(Dictionary<string, object> claims)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "partneraccounts",
            Audience = "partneraccounts-api",
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            SigningCredentials = new SigningCredentials(Authentication.SigningKey(Factory.Configuration), SecurityAlgorithms.HmacSha256),
        });
    }

    private static async Task<List<Guid>> PickerAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/v1/me/accounts");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return [.. (await ReadJsonAsync(response))["items"]!.AsArray().Select(a => a!["accountId"]!.GetValue<Guid>())];
    }
}
