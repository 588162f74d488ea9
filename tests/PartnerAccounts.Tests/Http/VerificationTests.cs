using System.Net;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>Account verification: anyone in the account reads it; only platform operators decide it.</summary>
public sealed class VerificationTests : ApiTest
{
    private static string VerificationUri(Guid accountId) => $"/v1/accounts/{accountId}/verification";

    private static async Task<HttpResponseMessage> DecideAsync(HttpClient client, Guid accountId, object body) =>
        await client.SendAsync(Json(HttpMethod.Post, $"{VerificationUri(accountId)}/decisions", body));

    /// <summary>An operator takes a decision that must succeed.</summary>
    private static async Task DecideOkAsync(HttpClient op, Guid accountId, string status, string? reason = null)
    {
        using var response = await DecideAsync(op, accountId, new { status, reason });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> StatusAsync(HttpClient client, Guid accountId)
    {
        var (verification, _) = await GetWithETagAsync(client, VerificationUri(accountId));
        return verification["status"]!.GetValue<string>();
    }

    [Test]
    public async Task GetVerification_AfterAccountCreation_ShouldBePendingWithoutReason()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        var (verification, etag) = await GetWithETagAsync(client, VerificationUri(accountId));

        Assert.Multiple(() =>
        {
            Assert.That(verification["status"]!.GetValue<string>(), Is.EqualTo("pending"));
            Assert.That(verification["reason"], Is.Null);
            Assert.That(verification["updatedAt"]!.GetValue<DateTime>(), Is.EqualTo(DateTime.UtcNow).Within(TimeSpan.FromMinutes(5)));
            Assert.That(etag, Does.Match("^\"[0-9]+\"$"));
        });
    }

    [Test]
    public async Task DecideVerification_WhenOperatorMovesItThroughReviewToVerified_ShouldReturnAndShowEachStatus()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        using var op = AsOperator();

        using var review = await DecideAsync(op, accountId, new { status = "inReview" });
        Assert.That(review.StatusCode, Is.EqualTo(HttpStatusCode.OK), await review.Content.ReadAsStringAsync());
        Assert.That((await ReadJsonAsync(review))["status"]!.GetValue<string>(), Is.EqualTo("inReview"));
        Assert.That(review.Headers.ETag, Is.Not.Null);
        Assert.That(await StatusAsync(client, accountId), Is.EqualTo("inReview"));

        using var verified = await DecideAsync(op, accountId, new { status = "verified" });
        Assert.That(verified.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(verified.Headers.ETag!.Tag, Is.Not.EqualTo(review.Headers.ETag!.Tag));

        var (verification, etag) = await GetWithETagAsync(client, VerificationUri(accountId));
        Assert.Multiple(() =>
        {
            Assert.That(verification["status"]!.GetValue<string>(), Is.EqualTo("verified"));
            Assert.That(verification["reason"], Is.Null);
            Assert.That(etag, Is.EqualTo(verified.Headers.ETag.Tag));
        });
        using var summary = await client.GetAsync(new Uri($"/v1/accounts/{accountId}", UriKind.Relative));
        Assert.That((await ReadJsonAsync(summary))["verificationStatus"]!.GetValue<string>(), Is.EqualTo("verified"));
        var records = await AuditLog.ReadAsync(accountId, "verification");
        Assert.That(records.Select(r => r.Action), Is.EqualTo(new[] { "verificationDecided", "verificationDecided" }));
        Assert.That(records[1].Actor, Does.StartWith("operator-"));
    }

    [TestCase("rejected")]
    [TestCase("actionRequired")]
    public async Task DecideVerification_WhenDecisionNeedsAReasonAndHasOne_ShouldStoreTheReason(string status)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        using var op = AsOperator();
        await DecideOkAsync(op, accountId, "inReview");

        using var response = await DecideAsync(op, accountId, new { status, reason = "  The registration document is unreadable.  " });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var (verification, _) = await GetWithETagAsync(client, VerificationUri(accountId));
        Assert.Multiple(() =>
        {
            Assert.That(verification["status"]!.GetValue<string>(), Is.EqualTo(status));
            Assert.That(verification["reason"]!.GetValue<string>(), Is.EqualTo("The registration document is unreadable."));
        });
    }

    [TestCase("rejected", null)]
    [TestCase("rejected", "   ")]
    [TestCase("actionRequired", null)]
    public async Task DecideVerification_WhenDecisionNeedsAReasonAndHasNone_ShouldReturn422AndChangeNothing(string status, string? reason)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        using var op = AsOperator();
        await DecideOkAsync(op, accountId, "inReview");

        using var response = await DecideAsync(op, accountId, new { status, reason });

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "verification_reason_required");
        Assert.That(FieldErrors(problem), Is.EquivalentTo(new[] { "reason" }));
        Assert.That(await StatusAsync(client, accountId), Is.EqualTo("inReview"));
    }

    [TestCase(new[] { "verified" }, "inReview")]
    [TestCase(new[] { "verified" }, "actionRequired")]
    [TestCase(new[] { "inReview" }, "inReview")]
    [TestCase(new[] { "inReview", "rejected" }, "verified")]
    public async Task DecideVerification_WhenTransitionIsNotAllowed_ShouldReturn409AndChangeNothing(string[] path, string decision)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        using var op = AsOperator();
        foreach (var step in path)
        {
            await DecideOkAsync(op, accountId, step, "Required for some steps.");
        }

        var (before, etag) = await GetWithETagAsync(client, VerificationUri(accountId));

        using var response = await DecideAsync(op, accountId, new { status = decision, reason = "Because." });

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "invalid_verification_transition");
        var (after, afterETag) = await GetWithETagAsync(client, VerificationUri(accountId));
        Assert.That(afterETag, Is.EqualTo(etag));
        Assert.That(after["status"]!.GetValue<string>(), Is.EqualTo(before["status"]!.GetValue<string>()));
    }

    [Test]
    public async Task DecideVerification_WhenRejectedAccountIsReviewedAgain_ShouldClearTheReason()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        using var op = AsOperator();
        await DecideOkAsync(op, accountId, "rejected", "Unknown company.");

        await DecideOkAsync(op, accountId, "inReview");

        var (verification, _) = await GetWithETagAsync(client, VerificationUri(accountId));
        Assert.That(verification["status"]!.GetValue<string>(), Is.EqualTo("inReview"));
        Assert.That(verification["reason"], Is.Null);
    }

    [Test]
    public async Task DecideVerification_WhenCallerIsAMemberButNotAnOperator_ShouldReturn403OperatorRequired()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();

        using var response = await DecideAsync(admin, accountId, new { status = "verified" });

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "operator_required");
        Assert.That(await StatusAsync(admin, accountId), Is.EqualTo("pending"));
    }

    [Test]
    public async Task Verification_WhenCallerIsAStranger_ShouldReturn404ForReadAndDecision()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        using var stranger = As(NewEmail("stranger"));

        using var read = await stranger.GetAsync(new Uri(VerificationUri(accountId), UriKind.Relative));
        using var decide = await DecideAsync(stranger, accountId, new { status = "verified" });

        await AssertProblemAsync(read, HttpStatusCode.NotFound, "account_not_found");
        await AssertProblemAsync(decide, HttpStatusCode.NotFound, "account_not_found");
        Assert.That(await StatusAsync(admin, accountId), Is.EqualTo("pending"));
    }

    [Test]
    public async Task DecideVerification_WhenAccountDoesNotExist_ShouldReturn404EvenForOperators()
    {
        using var op = AsOperator();

        using var response = await DecideAsync(op, Guid.NewGuid(), new { status = "verified" });

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "account_not_found");
    }

    [TestCase("approved")]
    [TestCase("")]
    [TestCase("3")]
    public async Task DecideVerification_WhenStatusIsNotAKnownValue_ShouldReturn400NamingStatus(string status)
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        using var op = AsOperator();
        var raw = status == "3" ? "{\"status\": 3}" : $"{{\"status\": \"{status}\"}}";

        using var response = await op.SendAsync(Json(HttpMethod.Post, $"{VerificationUri(accountId)}/decisions", raw));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "malformed_request");
        Assert.That(FieldErrors(problem), Is.EquivalentTo(new[] { "status" }));
        Assert.That(await StatusAsync(admin, accountId), Is.EqualTo("pending"));
    }

    [TestCase("{}", "status")]
    [TestCase("{\"status\": \"pending\"}", "status")]
    public async Task DecideVerification_WhenStatusIsMissingOrPending_ShouldReturn400ValidationFailed(string raw, string field)
    {
        var (_, accountId, _) = await NewAdminWithAccountAsync();
        using var op = AsOperator();

        using var response = await op.SendAsync(Json(HttpMethod.Post, $"{VerificationUri(accountId)}/decisions", raw));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EquivalentTo(new[] { field }));
    }

    [Test]
    public async Task DecideVerification_WhenReasonIsTooLong_ShouldReturn400NamingReason()
    {
        var (_, accountId, _) = await NewAdminWithAccountAsync();
        using var op = AsOperator();

        using var response = await DecideAsync(op, accountId, new { status = "rejected", reason = new string('r', 1001) });

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EquivalentTo(new[] { "reason" }));
    }

    [Test]
    public async Task GetVerification_WhenCallerIsOperator_ShouldSeeAnyAccount()
    {
        var (_, accountId, _) = await NewAdminWithAccountAsync();
        using var op = AsOperator();

        Assert.That(await StatusAsync(op, accountId), Is.EqualTo("pending"));
    }
}
