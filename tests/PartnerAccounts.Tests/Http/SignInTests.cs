using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Domain.Users;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

public sealed class SignInTests : ApiTest
{
    private const string Password = "correct-Horse-battery-9";

    /// <summary>A member of a new account who has replaced their temporary password with <see cref="Password"/>.</summary>
    private static async Task<(string Email, Guid AccountId)> NewPersonWithPasswordAsync(params string[] roles)
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var email = NewEmail("person");
        var (_, temporaryPassword) = await InviteAsync(admin, accountId, email, roles.Length == 0 ? ["sales-agent"] : roles);
        var (restricted, _) = await SignInAsync(email, temporaryPassword!);
        using var change = await restricted.PostAsJsonAsync("/v1/me/password", new { currentPassword = temporaryPassword, newPassword = Password });
        Assert.That(change.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await change.Content.ReadAsStringAsync());
        return (email, accountId);
    }

    /// <summary>The API on the same database with its clock moved forward by <paramref name="offset"/>.</summary>
    private static Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> Later(TimeSpan offset) =>
        Factory.WithWebHostBuilder(b => b.ConfigureTestServices(services => services.AddSingleton<IClock>(new ShiftedClock(offset))));

    private sealed class ShiftedClock(TimeSpan offset) : IClock
    {
        public DateTime UtcNow
        {
            get
            {
                var now = DateTime.UtcNow + offset;
                return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
            }
        }
    }

    private static async Task<HttpResponseMessage> PostTokenAsync(HttpClient client, string email, string password) =>
        await client.PostAsJsonAsync("/v1/auth/token", new { email, password });

    [Test]
    public async Task SignIn_WhenPasswordIsRight_ShouldReturnAShortLivedBearerTokenThatWorks()
    {
        var (email, accountId) = await NewPersonWithPasswordAsync("billing-admin");

        var (client, token) = await SignInAsync("  " + email.ToUpperInvariant(), Password);

        Assert.Multiple(() =>
        {
            Assert.That(token["accessToken"]!.GetValue<string>().Split('.'), Has.Length.EqualTo(3), "a JWT");
            Assert.That(token["tokenType"]!.GetValue<string>(), Is.EqualTo("Bearer"));
            Assert.That(token["expiresIn"]!.GetValue<int>(), Is.InRange(60, 3600));
            Assert.That(token["expiresAt"]!.GetValue<DateTime>(), Is.EqualTo(DateTime.UtcNow.AddSeconds(token["expiresIn"]!.GetValue<int>())).Within(TimeSpan.FromMinutes(1)));
            Assert.That(token["passwordChangeRequired"]!.GetValue<bool>(), Is.False);
        });
        using var billing = await client.GetAsync(new Uri($"/v1/accounts/{accountId}/profiles/billing", UriKind.Relative));
        Assert.That(billing.StatusCode, Is.EqualTo(HttpStatusCode.OK), await billing.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task SignIn_WhenPasswordIsWrong_ShouldReturn401InvalidCredentials()
    {
        var (email, _) = await NewPersonWithPasswordAsync();
        using var anonymous = Anonymous();

        using var response = await PostTokenAsync(anonymous, email, Password + "x");

        var problem = await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_credentials");
        Assert.That(problem.ToJsonString(), Does.Not.Contain("accessToken"));
    }

    [Test]
    public async Task SignIn_WhenEmailIsUnknownOrHasNoPassword_ShouldReturnTheSame401()
    {
        using var anonymous = Anonymous();
        var externalOnly = NewEmail("external");
        using (var external = As(externalOnly))
        {
            await CreateAccountAsync(external);
        }

        using var unknown = await PostTokenAsync(anonymous, NewEmail("nobody"), Password);
        using var noPassword = await PostTokenAsync(anonymous, externalOnly, Password);

        var a = await AssertProblemAsync(unknown, HttpStatusCode.Unauthorized, "invalid_credentials");
        var b = await AssertProblemAsync(noPassword, HttpStatusCode.Unauthorized, "invalid_credentials");
        Assert.That(a["detail"]!.GetValue<string>(), Is.EqualTo(b["detail"]!.GetValue<string>()), "never reveal whether an email is known");
    }

    [TestCase("{}", new[] { "email", "password" })]
    [TestCase("{\"email\": \"a@example.com\", \"password\": \"\"}", new[] { "password" })]
    public async Task SignIn_WhenFieldsAreMissing_ShouldReturn400NamingThem(string raw, string[] fields)
    {
        using var anonymous = Anonymous();
        using var response = await anonymous.SendAsync(Json(HttpMethod.Post, "/v1/auth/token", raw));
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EquivalentTo(fields));
    }

    [Test]
    public async Task SignIn_AfterFiveFailures_ShouldLockTheUserOutEvenWithTheRightPassword()
    {
        var (email, _) = await NewPersonWithPasswordAsync();
        using var anonymous = Anonymous();
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await PostTokenAsync(anonymous, email, $"wrong-password-{i}");
            await AssertProblemAsync(wrong, HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        using var locked = await PostTokenAsync(anonymous, email, Password);

        await AssertProblemAsync(locked, HttpStatusCode.TooManyRequests, "sign_in_locked");
        Assert.That(locked.Headers.RetryAfter?.Delta, Is.Not.Null.And.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromMinutes(15)),
            "a 429 says when to retry");
    }

    [Test]
    public async Task SignIn_WhenManyWrongPasswordsArriveAtOnce_ShouldStillLockTheUserOut()
    {
        var (email, _) = await NewPersonWithPasswordAsync();
        using var anonymous = Anonymous();

        var guesses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => PostTokenAsync(anonymous, email, $"parallel-guess-{i}")));

        Assert.That(guesses.Select(g => g.StatusCode), Has.All.AnyOf(HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests));
        Assert.That(guesses.Count(g => g.StatusCode == HttpStatusCode.Unauthorized), Is.LessThanOrEqualTo(SignInPolicy.MaxFailedSignIns),
            "no more than five guesses are checked before the lockout, however they are timed");
        foreach (var guess in guesses)
        {
            guess.Dispose();
        }

        using var locked = await PostTokenAsync(anonymous, email, Password);
        await AssertProblemAsync(locked, HttpStatusCode.TooManyRequests, "sign_in_locked");
    }

    [Test]
    public async Task SignIn_AfterFourFailuresAndASuccess_ShouldStartCountingAgain()
    {
        var (email, _) = await NewPersonWithPasswordAsync();
        using var anonymous = Anonymous();
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 4; i++)
            {
                using var wrong = await PostTokenAsync(anonymous, email, "not-the-password");
                await AssertProblemAsync(wrong, HttpStatusCode.Unauthorized, "invalid_credentials");
            }

            using var right = await PostTokenAsync(anonymous, email, Password);
            Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.OK), await right.Content.ReadAsStringAsync());
        }
    }

    [Test]
    public async Task SignIn_WhenTheLockoutHasPassed_ShouldWorkAgain()
    {
        var (email, _) = await NewPersonWithPasswordAsync();
        using var anonymous = Anonymous();
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await PostTokenAsync(anonymous, email, "not-the-password");
            await AssertProblemAsync(wrong, HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        await using var later = Later(TimeSpan.FromMinutes(16));
        using var client = later.CreateClient();

        using var response = await PostTokenAsync(client, email, Password);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task SignIn_WhenTheTemporaryPasswordHasExpired_ShouldReturn401()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var email = NewEmail("late");
        var (_, temporaryPassword) = await InviteAsync(admin, accountId, email, "sales-agent");
        await using var later = Later(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        using var client = later.CreateClient();

        using var response = await PostTokenAsync(client, email, temporaryPassword!);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Test]
    public async Task SignIn_WhenTheClientExceedsTheRateLimit_ShouldReturn429WithRetryAfter()
    {
        await using var limited = Factory.WithWebHostBuilder(b => b.UseSetting("RateLimits:SignIn:PermitLimit", "3"));
        using var client = limited.CreateClient();
        var email = NewEmail("guesser");

        for (var i = 0; i < 3; i++)
        {
            using var attempt = await PostTokenAsync(client, email, "guess-" + i);
            await AssertProblemAsync(attempt, HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        using var throttled = await PostTokenAsync(client, email, "guess-4");

        await AssertProblemAsync(throttled, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.That(throttled.Headers.RetryAfter?.Delta, Is.Not.Null.And.GreaterThan(TimeSpan.Zero));
    }

    [Test]
    public async Task ChangePassword_WhenCurrentPasswordIsWrong_ShouldReturn400AndKeepThePassword()
    {
        var (email, _) = await NewPersonWithPasswordAsync();
        var (client, _) = await SignInAsync(email, Password);

        using var response = await client.PostAsJsonAsync("/v1/me/password", new { currentPassword = "not-my-password", newPassword = "another-Passw0rd-123" });

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_current_password");
        Assert.That(FieldErrors(problem), Is.EqualTo(new[] { "currentPassword" }));
        var (_, token) = await SignInAsync(email, Password);
        Assert.That(token["passwordChangeRequired"]!.GetValue<bool>(), Is.False);
    }

    [TestCase("short-1A", "newPassword")]
    [TestCase("", "newPassword")]
    [TestCase(Password, "newPassword")]
    public async Task ChangePassword_WhenNewPasswordIsInvalid_ShouldReturn400NamingIt(string newPassword, string field)
    {
        var (email, _) = await NewPersonWithPasswordAsync();
        var (client, _) = await SignInAsync(email, Password);

        using var response = await client.PostAsJsonAsync("/v1/me/password", new { currentPassword = Password, newPassword });

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EqualTo(new[] { field }));
        await SignInAsync(email, Password);
    }

    [Test]
    public async Task ChangePassword_WhenNewPasswordContainsTheEmail_ShouldReturn400WeakPassword()
    {
        var (email, _) = await NewPersonWithPasswordAsync();
        var (client, _) = await SignInAsync(email, Password);

        using var response = await client.PostAsJsonAsync("/v1/me/password", new { currentPassword = Password, newPassword = "X" + email.ToUpperInvariant() });

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "weak_password");
        Assert.That(FieldErrors(problem), Is.EqualTo(new[] { "newPassword" }));
    }

    [Test]
    public async Task ChangePassword_WhenValid_ShouldRetireTheOldPasswordAndAuditTheChange()
    {
        var (email, accountId) = await NewPersonWithPasswordAsync();
        var (client, _) = await SignInAsync(email, Password);
        const string next = "next-Passw0rd-of-mine";

        using var response = await client.PostAsJsonAsync("/v1/me/password", new { currentPassword = Password, newPassword = next });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync());
        using var anonymous = Anonymous();
        using var old = await PostTokenAsync(anonymous, email, Password);
        await AssertProblemAsync(old, HttpStatusCode.Unauthorized, "invalid_credentials");
        await SignInAsync(email, next);
        var records = await AuditLog.ReadAsync(accountId, "users");
        Assert.That(records.Count(r => r.Action == "passwordChanged" && r.Actor == email), Is.EqualTo(2), "the temporary one, then this one");
        Assert.That(records.Select(r => r.After ?? string.Empty), Has.None.Contains(next).And.None.Contains(Password));
    }

    [Test]
    public async Task ChangePassword_WhenCallerSignsInOnlyThroughTheIdentityProvider_ShouldReturn422()
    {
        using var external = As(NewEmail("external"));
        await CreateAccountAsync(external);

        using var response = await external.PostAsJsonAsync("/v1/me/password", new { currentPassword = "anything-at-all", newPassword = "another-Passw0rd-123" });

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "no_local_password");
    }

    [Test]
    public async Task ChangePassword_WhenUnauthenticated_ShouldReturn401()
    {
        using var anonymous = Anonymous();
        using var response = await anonymous.PostAsJsonAsync("/v1/me/password", new { currentPassword = Password, newPassword = "another-Passw0rd-123" });
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
    }
}
