using System.Net;
using System.Text.Json.Nodes;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>The enrollment lifecycle: enroll (pending), operator decision (active or rejected), withdraw, enroll again.</summary>
public sealed class EnrollmentsTests : ProgramTest
{
    [Test]
    public async Task Enroll_WhenProgramHasNoPrerequisites_ShouldReturn201PendingWithLocationAndETag()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        using var response = await EnrollAsync(client, accountId, "mpn");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var created = (await ReadJsonAsync(response)).AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo(EnrollmentUri(accountId, "mpn")));
            Assert.That(response.Headers.ETag, Is.Not.Null);
            Assert.That(created["programId"]!.GetValue<string>(), Is.EqualTo("mpn"));
            Assert.That(created["programName"]!.GetValue<string>(), Is.EqualTo("Partner network (MPN)"));
            Assert.That(created["settingsArea"]!.GetValue<string>(), Is.EqualTo("partner"));
            Assert.That(created["status"]!.GetValue<string>(), Is.EqualTo("pending"));
            Assert.That(created["reason"], Is.Null);
            Assert.That(created["enrolledAt"]!.GetValue<DateTime>(), Is.EqualTo(DateTime.UtcNow).Within(TimeSpan.FromMinutes(5)));
        });

        var (read, etag) = await GetWithETagAsync(client, response.Headers.Location!.ToString());
        Assert.That(read["status"]!.GetValue<string>(), Is.EqualTo("pending"));
        Assert.That(etag, Is.EqualTo(response.Headers.ETag!.Tag));
        var records = await AuditLog.ReadAsync(accountId, "enrollments");
        Assert.That(records.Select(r => (r.Action, r.ResourceId)), Is.EqualTo(new[] { ("enrolled", "mpn") }));
        Assert.That(records[0].Before, Is.Null);
        Assert.That(records[0].After, Does.Contain("\"pending\""));
    }

    [TestCase("mpn")]
    [TestCase("commercial-marketplace")]
    [TestCase("windows-and-xbox")]
    [TestCase("office-store")]
    [TestCase("edge-extensions")]
    public async Task Enroll_WhenAccountIsNewAndUnverified_ShouldAcceptProgramsWithoutPrerequisites(string programId)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        var enrollment = await EnrollOkAsync(client, accountId, programId);

        Assert.That(enrollment["status"]!.GetValue<string>(), Is.EqualTo("pending"));
        Assert.That(await StatusOfAsync(client, accountId, programId), Is.EqualTo("pending"));
    }

    [Test]
    public async Task Enroll_WhenAccountIsNotYetVerified_ShouldLeaveItsVerificationPending()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var (before, etag) = await GetWithETagAsync(client, $"/v1/accounts/{accountId}/verification");

        await EnrollOkAsync(client, accountId, "mpn");

        var (after, afterETag) = await GetWithETagAsync(client, $"/v1/accounts/{accountId}/verification");
        Assert.That(before["status"]!.GetValue<string>(), Is.EqualTo("pending"));
        Assert.That(after["status"]!.GetValue<string>(), Is.EqualTo("pending"));
        Assert.That(afterETag, Is.EqualTo(etag), "enrolling never takes an operator's verification decision");
    }

    [TestCase("csp")]
    [TestCase("control-panel-vendor")]
    public async Task Enroll_WhenAMemberWhoIsNotGlobalAdminEnrollsANewAccount_ShouldReturn422ListingEveryMissingPrerequisite(string programId)
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (accountAdmin, _, _) = await NewMemberAsync(admin, accountId, "account-admin");

        using var response = await EnrollAsync(accountAdmin, accountId, programId);

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "program_prerequisite_missing");
        Assert.That(Strings(problem["missingPrerequisites"]), Is.EqualTo(new[] { "mpnEnrollment", "verifiedAccount", "globalAdmin" }));
        Assert.That(FieldErrors(problem), Is.EqualTo(new[] { "programId" }));
        Assert.That(problem["errors"]!["programId"]!.AsArray(), Has.Count.EqualTo(3));
        using var read = await admin.GetAsync(new Uri(EnrollmentUri(accountId, programId), UriKind.Relative));
        await AssertProblemAsync(read, HttpStatusCode.NotFound, "enrollment_not_found");
        Assert.That(await AuditLog.ReadAsync(accountId, "enrollments"), Is.Empty);
    }

    [Test]
    public async Task Enroll_InCspWhenMpnIsOnlyPending_ShouldReturn422NamingMpnAndVerification()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(client, accountId, "mpn");

        using var response = await EnrollAsync(client, accountId, "csp");

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "program_prerequisite_missing");
        Assert.That(Strings(problem["missingPrerequisites"]), Is.EqualTo(new[] { "mpnEnrollment", "verifiedAccount" }));
    }

    [TestCase("csp")]
    [TestCase("control-panel-vendor")]
    public async Task Enroll_WhenGlobalAdminEnrollsAQualifiedAccount_ShouldReturn201Pending(string programId)
    {
        var (client, accountId) = await NewQualifiedAccountAsync();

        var enrollment = await EnrollOkAsync(client, accountId, programId);

        Assert.That(enrollment["status"]!.GetValue<string>(), Is.EqualTo("pending"));
    }

    [TestCase("csp")]
    [TestCase("control-panel-vendor")]
    public async Task Enroll_WhenAnAccountAdminEnrollsAQualifiedAccount_ShouldReturn422NamingOnlyGlobalAdmin(string programId)
    {
        var (admin, accountId) = await NewQualifiedAccountAsync();
        var (accountAdmin, _, _) = await NewMemberAsync(admin, accountId, "account-admin");

        using var response = await EnrollAsync(accountAdmin, accountId, programId);

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "program_prerequisite_missing");
        Assert.That(Strings(problem["missingPrerequisites"]), Is.EqualTo(new[] { "globalAdmin" }));
    }

    [Test]
    public async Task Enroll_InReferralsWhenMpnIsActive_ShouldNotNeedVerificationOrAGlobalAdmin()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(admin, accountId, "mpn");
        await DecideOkAsync(accountId, "mpn", "active");
        var (mpnAdmin, _, _) = await NewMemberAsync(admin, accountId, "mpn-partner-admin");

        var enrollment = await EnrollOkAsync(mpnAdmin, accountId, "referrals");

        Assert.That(enrollment["status"]!.GetValue<string>(), Is.EqualTo("pending"));
    }

    [Test]
    public async Task Enroll_WhenVerificationWasRejected_ShouldBlockCspButNotMpnOrDeveloperPrograms()
    {
        var (client, accountId) = await NewQualifiedAccountAsync();
        await DecideVerificationAsync(accountId, "rejected", "The company could not be found.");

        using var csp = await EnrollAsync(client, accountId, "csp");
        var problem = await AssertProblemAsync(csp, HttpStatusCode.UnprocessableEntity, "program_prerequisite_missing");
        Assert.That(Strings(problem["missingPrerequisites"]), Is.EqualTo(new[] { "verifiedAccount" }));
        Assert.That(problem["errors"]!["programId"]![0]!.GetValue<string>(), Does.Contain("rejected"));

        await EnrollOkAsync(client, accountId, "office-store");
    }

    [TestCase("pending")]
    [TestCase("active")]
    public async Task Enroll_WhenAlreadyEnrolled_ShouldReturn409AlreadyEnrolledAndChangeNothing(string status)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(client, accountId, "mpn");
        if (status == "active")
        {
            await DecideOkAsync(accountId, "mpn", "active");
        }

        var (_, etag) = await GetWithETagAsync(client, EnrollmentUri(accountId, "mpn"));

        using var response = await EnrollAsync(client, accountId, "mpn");

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "already_enrolled");
        var (after, afterETag) = await GetWithETagAsync(client, EnrollmentUri(accountId, "mpn"));
        Assert.That(after["status"]!.GetValue<string>(), Is.EqualTo(status));
        Assert.That(afterETag, Is.EqualTo(etag));
    }

    [Test]
    public async Task Enroll_WhenManyRequestsEnrollAtOnce_ShouldCreateExactlyOneEnrollment()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await EnrollAsync(client, accountId, "office-store");
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        var bodies = string.Join("\n", outcomes.Select(o => o.Body));
        Assert.That(outcomes.Count(o => o.StatusCode == HttpStatusCode.Created), Is.EqualTo(1), bodies);
        Assert.That(outcomes.Where(o => o.StatusCode != HttpStatusCode.Created).Select(o => o.StatusCode), Has.All.EqualTo(HttpStatusCode.Conflict), bodies);
        Assert.That(outcomes.Where(o => o.StatusCode == HttpStatusCode.Conflict).Select(o => o.Body), Has.All.Contains("already_enrolled"));
        var list = await GetJsonAsync(client, EnrollmentsOf(accountId));
        Assert.That(list["items"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That((await AuditLog.ReadAsync(accountId, "enrollments")).Count(r => r.Action == "enrolled"), Is.EqualTo(1));
    }

    [Test]
    public async Task Enroll_WhenManyRequestsEnrollAgainAtOnceAfterAWithdrawal_ShouldReenrollExactlyOnce()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(client, accountId, "office-store");
        using (var withdrawn = await WithdrawAsync(client, accountId, "office-store", "*"))
        {
            Assert.That(withdrawn.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await EnrollAsync(client, accountId, "office-store");
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        var bodies = string.Join("\n", outcomes.Select(o => o.Body));
        Assert.That(outcomes.Count(o => o.StatusCode == HttpStatusCode.Created), Is.EqualTo(1), bodies);
        Assert.That(outcomes.Where(o => o.StatusCode != HttpStatusCode.Created).Select(o => o.StatusCode), Has.All.EqualTo(HttpStatusCode.Conflict), bodies);
        Assert.That(await StatusOfAsync(client, accountId, "office-store"), Is.EqualTo("pending"));
    }

    [TestCase("withdrawn")]
    [TestCase("rejected")]
    public async Task Enroll_AgainAfterAWithdrawalOrRejection_ShouldReturn201PendingOnTheSameResource(string how)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(client, accountId, "windows-and-xbox");
        if (how == "withdrawn")
        {
            using var withdrawn = await WithdrawAsync(client, accountId, "windows-and-xbox", "*");
            Assert.That(withdrawn.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        else
        {
            await DecideOkAsync(accountId, "windows-and-xbox", "rejected", "Publisher name is taken.");
        }

        var (before, etag) = await GetWithETagAsync(client, EnrollmentUri(accountId, "windows-and-xbox"));
        Assert.That(before["status"]!.GetValue<string>(), Is.EqualTo(how));

        using var response = await EnrollAsync(client, accountId, "windows-and-xbox");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo(EnrollmentUri(accountId, "windows-and-xbox")));
        var (after, afterETag) = await GetWithETagAsync(client, EnrollmentUri(accountId, "windows-and-xbox"));
        Assert.Multiple(() =>
        {
            Assert.That(after["status"]!.GetValue<string>(), Is.EqualTo("pending"));
            Assert.That(after["reason"], Is.Null);
            Assert.That(afterETag, Is.Not.EqualTo(etag));
        });
        var records = await AuditLog.ReadAsync(accountId, "enrollments");
        Assert.That(records[^1].Action, Is.EqualTo("enrolled"));
        Assert.That(records[^1].Before, Does.Contain($"\"{how}\""));
    }

    [TestCase("unknown-program")]
    [TestCase("CSP")]
    [TestCase("csp ")]
    public async Task Enroll_WhenProgramIsUnknown_ShouldReturn404ProgramNotFound(string programId)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        using var response = await EnrollAsync(client, accountId, programId);

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "program_not_found");
        Assert.That((await GetJsonAsync(client, EnrollmentsOf(accountId)))["items"]!.AsArray(), Is.Empty);
    }

    [TestCase("{}")]
    [TestCase("{\"programId\": \"\"}")]
    [TestCase("{\"programId\": null}")]
    public async Task Enroll_WhenProgramIdIsMissing_ShouldReturn400NamingProgramId(string raw)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        using var response = await client.SendAsync(Json(HttpMethod.Post, EnrollmentsOf(accountId), raw));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EqualTo(new[] { "programId" }));
    }

    [Test]
    public async Task Enroll_WhenProgramIdIsTooLong_ShouldReturn400NamingProgramId()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        using var response = await EnrollAsync(client, accountId, new string('a', 65));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EqualTo(new[] { "programId" }));
    }

    [TestCase("{\"programId\": 7}")]
    [TestCase("{\"programId\": [\"mpn\"]}")]
    [TestCase("not json")]
    public async Task Enroll_WhenBodyIsMalformed_ShouldReturn400MalformedRequest(string raw)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        using var response = await client.SendAsync(Json(HttpMethod.Post, EnrollmentsOf(accountId), raw));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "malformed_request");
    }

    [Test]
    public async Task Enroll_WhenMemberHasOnlyTheSalesAgentRole_ShouldReturn403AndStoreNothing()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (salesAgent, _, _) = await NewMemberAsync(admin, accountId, "sales-agent");

        using var response = await EnrollAsync(salesAgent, accountId, "mpn");

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "permission_denied");
        Assert.That((await GetJsonAsync(salesAgent, EnrollmentsOf(accountId)))["items"]!.AsArray(), Is.Empty, "a sales agent may still read enrollments");
    }

    [Test]
    public async Task Enroll_WhenCallerIsAnOperator_ShouldReturn403()
    {
        var (_, accountId, _) = await NewAdminWithAccountAsync();
        using var op = AsOperator();

        using var response = await EnrollAsync(op, accountId, "mpn");

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "permission_denied");
    }

    [Test]
    public async Task Enrollments_WhenCallerIsAStranger_ShouldReturn404ForEveryOperationEvenWithABadBody()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(admin, accountId, "mpn");
        using var stranger = As(NewEmail("stranger"));

        using var list = await stranger.GetAsync(new Uri(EnrollmentsOf(accountId), UriKind.Relative));
        using var enroll = await stranger.SendAsync(Json(HttpMethod.Post, EnrollmentsOf(accountId), "{}"));
        using var read = await stranger.GetAsync(new Uri(EnrollmentUri(accountId, "mpn"), UriKind.Relative));
        using var withdraw = await WithdrawAsync(stranger, accountId, "mpn", "*");
        using var decide = await DecideAsync(stranger, accountId, "mpn", "active");

        foreach (var response in new[] { list, enroll, read, withdraw, decide })
        {
            await AssertProblemAsync(response, HttpStatusCode.NotFound, "account_not_found");
        }

        Assert.That(await StatusOfAsync(admin, accountId, "mpn"), Is.EqualTo("pending"));
    }

    [Test]
    public async Task Enrollments_WhenAccountIdIsMalformed_ShouldReturn400NamingAccountId()
    {
        using var client = As(NewEmail());

        using var response = await client.GetAsync(new Uri("/v1/accounts/not-a-guid/enrollments", UriKind.Relative));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "malformed_request");
        Assert.That(FieldErrors(problem), Is.EqualTo(new[] { "accountId" }));
    }

    [Test]
    public async Task GetEnrollment_WhenProgramIsUnknown_ShouldReturn404ProgramNotFound()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        using var response = await client.GetAsync(new Uri(EnrollmentUri(accountId, "not-a-program"), UriKind.Relative));

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "program_not_found");
    }

    [Test]
    public async Task GetEnrollment_WhenNeverEnrolled_ShouldReturn404EnrollmentNotFound()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        using var response = await client.GetAsync(new Uri(EnrollmentUri(accountId, "csp"), UriKind.Relative));

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "enrollment_not_found");
    }

    [Test]
    public async Task GetEnrollment_WhenIfNoneMatchIsCurrent_ShouldReturn304()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(client, accountId, "mpn");
        var (_, etag) = await GetWithETagAsync(client, EnrollmentUri(accountId, "mpn"));
        using var request = new HttpRequestMessage(HttpMethod.Get, EnrollmentUri(accountId, "mpn"));
        request.Headers.TryAddWithoutValidation("If-None-Match", etag);

        using var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }

    [Test]
    public async Task GetEnrollment_WhenCallerIsOperator_ShouldSeeAnyAccount()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(client, accountId, "mpn");
        using var op = AsOperator();

        Assert.That(await StatusOfAsync(op, accountId, "mpn"), Is.EqualTo("pending"));
    }

    [Test]
    public async Task ListEnrollments_ShouldListEveryStatusInCatalogueOrderAndPage()
    {
        var (client, accountId) = await NewQualifiedAccountAsync();
        await EnrollOkAsync(client, accountId, "edge-extensions");
        await EnrollOkAsync(client, accountId, "office-store");
        await EnrollOkAsync(client, accountId, "csp");
        using (var withdrawn = await WithdrawAsync(client, accountId, "edge-extensions", "*"))
        {
            Assert.That(withdrawn.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var all = await GetJsonAsync(client, EnrollmentsOf(accountId));
        var items = all["items"]!.AsArray();
        Assert.That(items.Select(i => i!["programId"]!.GetValue<string>()), Is.EqualTo(new[] { "mpn", "csp", "office-store", "edge-extensions" }));
        Assert.That(items.Select(i => i!["status"]!.GetValue<string>()), Is.EqualTo(new[] { "active", "pending", "pending", "withdrawn" }));
        Assert.That(all["continuationToken"], Is.Null);

        using var first = await client.GetAsync(new Uri($"{EnrollmentsOf(accountId)}?limit=3", UriKind.Relative));
        var firstPage = (await ReadJsonAsync(first)).AsObject();
        Assert.That(firstPage["items"]!.AsArray(), Has.Count.EqualTo(3));
        var token = firstPage["continuationToken"]!.GetValue<string>();
        Assert.That(first.Headers.GetValues("Link").Single(), Does.Contain("rel=\"next\""));
        var second = await GetJsonAsync(client, $"{EnrollmentsOf(accountId)}?limit=3&continuationToken={Uri.EscapeDataString(token)}");
        Assert.That(second["items"]!.AsArray().Select(i => i!["programId"]!.GetValue<string>()), Is.EqualTo(new[] { "edge-extensions" }));
        Assert.That(second["continuationToken"], Is.Null);
    }

    [Test]
    public async Task ListEnrollments_WhenTokenIsForgedOrLimitOutOfRange_ShouldReturn400()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        using var forged = await client.GetAsync(new Uri($"{EnrollmentsOf(accountId)}?continuationToken=forged", UriKind.Relative));
        using var limit = await client.GetAsync(new Uri($"{EnrollmentsOf(accountId)}?limit=0", UriKind.Relative));

        Assert.That(FieldErrors(await AssertProblemAsync(forged, HttpStatusCode.BadRequest, "invalid_continuation_token")), Is.EqualTo(new[] { "continuationToken" }));
        Assert.That(FieldErrors(await AssertProblemAsync(limit, HttpStatusCode.BadRequest, "validation_failed")), Does.Contain("page.limit").Or.Contain("limit"));
    }

    [TestCase("pending")]
    [TestCase("active")]
    public async Task Withdraw_WhenLive_ShouldReturn200WithdrawnWithANewETagAndAudit(string status)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(client, accountId, "mpn");
        if (status == "active")
        {
            await DecideOkAsync(accountId, "mpn", "active");
        }

        var (_, etag) = await GetWithETagAsync(client, EnrollmentUri(accountId, "mpn"));

        using var response = await WithdrawAsync(client, accountId, "mpn", etag);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That((await ReadJsonAsync(response))["status"]!.GetValue<string>(), Is.EqualTo("withdrawn"));
        var (read, newETag) = await GetWithETagAsync(client, EnrollmentUri(accountId, "mpn"));
        Assert.That(read["status"]!.GetValue<string>(), Is.EqualTo("withdrawn"));
        Assert.That(newETag, Is.EqualTo(response.Headers.ETag!.Tag).And.Not.EqualTo(etag));
        var records = await AuditLog.ReadAsync(accountId, "enrollments");
        Assert.That(records[^1].Action, Is.EqualTo("withdrawn"));
        Assert.That(records[^1].Before, Does.Contain($"\"{status}\""));
        Assert.That(records[^1].After, Does.Contain("\"withdrawn\""));
    }

    [TestCase("withdrawn")]
    [TestCase("rejected")]
    public async Task Withdraw_WhenNotPendingOrActive_ShouldReturn409InvalidTransition(string status)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(client, accountId, "office-store");
        if (status == "withdrawn")
        {
            using var first = await WithdrawAsync(client, accountId, "office-store", "*");
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        else
        {
            await DecideOkAsync(accountId, "office-store", "rejected", "Not eligible.");
        }

        var (_, etag) = await GetWithETagAsync(client, EnrollmentUri(accountId, "office-store"));

        using var response = await WithdrawAsync(client, accountId, "office-store", etag);

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "invalid_enrollment_transition");
        var (after, afterETag) = await GetWithETagAsync(client, EnrollmentUri(accountId, "office-store"));
        Assert.That(after["status"]!.GetValue<string>(), Is.EqualTo(status));
        Assert.That(afterETag, Is.EqualTo(etag));
    }

    [Test]
    public async Task Withdraw_WhenNeverEnrolled_ShouldReturn404EnrollmentNotFound()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        using var response = await WithdrawAsync(client, accountId, "mpn", "*");

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "enrollment_not_found");
    }

    [Test]
    public async Task Withdraw_WhenProgramIsUnknown_ShouldReturn404ProgramNotFound()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        using var response = await WithdrawAsync(client, accountId, "nope", "*");

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "program_not_found");
    }

    [Test]
    public async Task Withdraw_WithoutIfMatch_ShouldReturn428AndKeepTheEnrollment()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(client, accountId, "mpn");

        using var response = await WithdrawAsync(client, accountId, "mpn", null);

        await AssertProblemAsync(response, HttpStatusCode.PreconditionRequired, "if_match_required");
        Assert.That(await StatusOfAsync(client, accountId, "mpn"), Is.EqualTo("pending"));
    }

    [TestCase("\"999\"")]
    [TestCase("W/\"1\"")]
    [TestCase("garbage")]
    public async Task Withdraw_WithAStaleOrUnreadableIfMatch_ShouldReturn412AndKeepTheEnrollment(string ifMatch)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(client, accountId, "mpn");

        using var response = await WithdrawAsync(client, accountId, "mpn", ifMatch);

        await AssertProblemAsync(response, HttpStatusCode.PreconditionFailed, "etag_mismatch");
        Assert.That(await StatusOfAsync(client, accountId, "mpn"), Is.EqualTo("pending"));
    }

    [Test]
    public async Task Withdraw_WithTheETagReadBeforeADecision_ShouldReturn412()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(client, accountId, "mpn");
        var (_, etag) = await GetWithETagAsync(client, EnrollmentUri(accountId, "mpn"));
        await DecideOkAsync(accountId, "mpn", "active");

        using var response = await WithdrawAsync(client, accountId, "mpn", etag);

        await AssertProblemAsync(response, HttpStatusCode.PreconditionFailed, "etag_mismatch");
        Assert.That(await StatusOfAsync(client, accountId, "mpn"), Is.EqualTo("active"));
    }

    [Test]
    public async Task Withdraw_OfMpnWhileCspIsPending_ShouldReturn409ProgramHasDependents()
    {
        var (client, accountId) = await NewQualifiedAccountAsync();
        await EnrollOkAsync(client, accountId, "csp");

        using var response = await WithdrawAsync(client, accountId, "mpn", "*");

        var problem = await AssertProblemAsync(response, HttpStatusCode.Conflict, "program_has_dependents");
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("Cloud Solution Provider"));
        Assert.That(await StatusOfAsync(client, accountId, "mpn"), Is.EqualTo("active"));

        using var csp = await WithdrawAsync(client, accountId, "csp", "*");
        Assert.That(csp.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var mpn = await WithdrawAsync(client, accountId, "mpn", "*");
        Assert.That(mpn.StatusCode, Is.EqualTo(HttpStatusCode.OK), await mpn.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Withdraw_WhenMemberHasOnlyTheSalesAgentRole_ShouldReturn403()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(admin, accountId, "mpn");
        var (salesAgent, _, _) = await NewMemberAsync(admin, accountId, "sales-agent");

        using var response = await WithdrawAsync(salesAgent, accountId, "mpn", "*");

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "permission_denied");
        Assert.That(await StatusOfAsync(admin, accountId, "mpn"), Is.EqualTo("pending"));
    }

    [Test]
    public async Task DecideEnrollment_WhenOperatorActivates_ShouldReturn200ActiveWithETagAndAudit()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(client, accountId, "mpn");
        using var op = AsOperator();

        using var response = await DecideAsync(op, accountId, "mpn", "active");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That((await ReadJsonAsync(response))["status"]!.GetValue<string>(), Is.EqualTo("active"));
        var (read, etag) = await GetWithETagAsync(client, EnrollmentUri(accountId, "mpn"));
        Assert.That(read["status"]!.GetValue<string>(), Is.EqualTo("active"));
        Assert.That(etag, Is.EqualTo(response.Headers.ETag!.Tag));
        var records = await AuditLog.ReadAsync(accountId, "enrollments");
        Assert.That(records.Select(r => r.Action), Is.EqualTo(new[] { "enrolled", "enrollmentDecided" }));
        Assert.That(records[1].Actor, Does.StartWith("operator-"));
    }

    [Test]
    public async Task DecideEnrollment_WhenOperatorRejectsWithAReason_ShouldStoreTheTrimmedReason()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(client, accountId, "mpn");

        await DecideOkAsync(accountId, "mpn", "rejected", "  Duplicate of another company.  ");

        var (read, _) = await GetWithETagAsync(client, EnrollmentUri(accountId, "mpn"));
        Assert.That(read["status"]!.GetValue<string>(), Is.EqualTo("rejected"));
        Assert.That(read["reason"]!.GetValue<string>(), Is.EqualTo("Duplicate of another company."));
    }

    [TestCase(null)]
    [TestCase("   ")]
    public async Task DecideEnrollment_WhenRejectingWithoutAReason_ShouldReturn422NamingReason(string? reason)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(client, accountId, "mpn");
        using var op = AsOperator();

        using var response = await DecideAsync(op, accountId, "mpn", "rejected", reason);

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "enrollment_reason_required");
        Assert.That(FieldErrors(problem), Is.EqualTo(new[] { "reason" }));
        Assert.That(await StatusOfAsync(client, accountId, "mpn"), Is.EqualTo("pending"));
    }

    [TestCase("active", "active")]
    [TestCase("active", "rejected")]
    [TestCase("rejected", "active")]
    [TestCase("withdrawn", "active")]
    public async Task DecideEnrollment_WhenEnrollmentIsNotPending_ShouldReturn409InvalidTransition(string status, string decision)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(client, accountId, "mpn");
        if (status == "withdrawn")
        {
            using var withdrawn = await WithdrawAsync(client, accountId, "mpn", "*");
            Assert.That(withdrawn.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        else
        {
            await DecideOkAsync(accountId, "mpn", status, "Because.");
        }

        using var op = AsOperator();
        using var response = await DecideAsync(op, accountId, "mpn", decision, "Because.");

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "invalid_enrollment_transition");
        Assert.That(await StatusOfAsync(client, accountId, "mpn"), Is.EqualTo(status));
    }

    [Test]
    public async Task DecideEnrollment_WhenActivatingCspAfterVerificationWasRejected_ShouldReturn422AndStayPending()
    {
        var (client, accountId) = await NewQualifiedAccountAsync();
        await EnrollOkAsync(client, accountId, "csp");
        await DecideVerificationAsync(accountId, "rejected", "Fraud suspected.");
        using var op = AsOperator();

        using var response = await DecideAsync(op, accountId, "csp", "active");

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "program_prerequisite_missing");
        Assert.That(Strings(problem["missingPrerequisites"]), Is.EqualTo(new[] { "verifiedAccount" }));
        Assert.That(await StatusOfAsync(client, accountId, "csp"), Is.EqualTo("pending"));
        await DecideOkAsync(accountId, "csp", "rejected", "The account is no longer verified.");
    }

    [Test]
    public async Task DecideEnrollment_WhenCallerIsAMemberButNotAnOperator_ShouldReturn403OperatorRequired()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(client, accountId, "mpn");

        using var response = await DecideAsync(client, accountId, "mpn", "active");

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "operator_required");
        Assert.That(await StatusOfAsync(client, accountId, "mpn"), Is.EqualTo("pending"));
    }

    [Test]
    public async Task DecideEnrollment_WhenNeverEnrolledOrProgramUnknownOrAccountMissing_ShouldReturn404()
    {
        var (_, accountId, _) = await NewAdminWithAccountAsync();
        using var op = AsOperator();

        using var never = await DecideAsync(op, accountId, "mpn", "active");
        using var unknown = await DecideAsync(op, accountId, "nope", "active");
        using var missing = await DecideAsync(op, Guid.NewGuid(), "mpn", "active");

        await AssertProblemAsync(never, HttpStatusCode.NotFound, "enrollment_not_found");
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound, "program_not_found");
        await AssertProblemAsync(missing, HttpStatusCode.NotFound, "account_not_found");
    }

    [TestCase("pending")]
    [TestCase("withdrawn")]
    [TestCase("approved")]
    public async Task DecideEnrollment_WhenStatusIsNotADecision_ShouldReturn400NamingStatus(string status)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(client, accountId, "mpn");
        using var op = AsOperator();

        using var response = await DecideAsync(op, accountId, "mpn", status);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "malformed_request");
        Assert.That(FieldErrors(problem), Is.EqualTo(new[] { "status" }));
        Assert.That(await StatusOfAsync(client, accountId, "mpn"), Is.EqualTo("pending"));
    }

    [Test]
    public async Task DecideEnrollment_WhenStatusIsMissingOrReasonTooLong_ShouldReturn400ValidationFailed()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(client, accountId, "mpn");
        using var op = AsOperator();

        using var response = await op.SendAsync(Json(HttpMethod.Post, $"{EnrollmentUri(accountId, "mpn")}/decisions", new { reason = new string('r', 1001) }));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EquivalentTo(new[] { "status", "reason" }));
    }

    [Test]
    public async Task Enrollment_ThroughItsWholeLifecycle_ShouldAuditEveryTransition()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(client, accountId, "office-store");
        await DecideOkAsync(accountId, "office-store", "rejected", "Incomplete.");
        await EnrollOkAsync(client, accountId, "office-store");
        await DecideOkAsync(accountId, "office-store", "active");
        using (var withdrawn = await WithdrawAsync(client, accountId, "office-store", "*"))
        {
            Assert.That(withdrawn.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var records = await AuditLog.ReadAsync(accountId, "enrollments");

        Assert.That(records.Select(r => r.Action), Is.EqualTo(new[] { "enrolled", "enrollmentDecided", "enrolled", "enrollmentDecided", "withdrawn" }));
        Assert.That(records.Select(r => r.ResourceId), Has.All.EqualTo("office-store"));
        var statuses = records.Select(r => JsonNode.Parse(r.After!)!["status"]!.GetValue<string>());
        Assert.That(statuses, Is.EqualTo(new[] { "pending", "rejected", "pending", "active", "withdrawn" }));
    }
}
