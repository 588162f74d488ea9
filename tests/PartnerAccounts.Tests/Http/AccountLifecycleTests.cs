using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>
/// Suspension, closure and reactivation: who may change the status, and what a suspended or closed account does on every surface
/// (MPN verification, API keys, writes, the picker and the summary), with reactivation restoring all of it.
/// </summary>
public sealed class AccountLifecycleTests : ApiTest
{
    private static string StatusChangesOf(Guid accountId) => $"/v1/accounts/{accountId}/status-changes";

    private static string VerifyUri(string mpnId) => $"/v1/profiles/mpn?mpnId={mpnId}";

    private static object SupportBody(string email) => new { email, phoneNumber = "+1 206 555 0100", website = "https://support.fabrikam.example" };

    private static Task<HttpResponseMessage> ChangeStatusAsync(HttpClient client, Guid accountId, object body) =>
        client.SendAsync(Json(HttpMethod.Post, StatusChangesOf(accountId), body));

    private static async Task<JsonObject> ChangeStatusOkAsync(HttpClient client, Guid accountId, object body)
    {
        using var response = await ChangeStatusAsync(client, accountId, body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await ReadJsonAsync(response)).AsObject();
    }

    private static async Task<IReadOnlyList<PartnerAccounts.Domain.Audit.AuditRecord>> StatusChangesAuditedAsync(Guid accountId) =>
        [.. (await AuditLog.ReadAsync(accountId, "account")).Where(r => r.Action == "statusChanged")];

    private static async Task<string> SummaryStatusAsync(HttpClient client, Guid accountId)
    {
        using var response = await client.GetAsync(new Uri($"/v1/accounts/{accountId}", UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await ReadJsonAsync(response))["status"]!.GetValue<string>();
    }

    private static async Task<string> PickerStatusAsync(HttpClient client, Guid accountId)
    {
        using var response = await client.GetAsync(new Uri("/v1/me/accounts?limit=200", UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var items = (await ReadJsonAsync(response))["items"]!.AsArray();
        return items.Single(i => i!["accountId"]!.GetValue<Guid>() == accountId)!["status"]!.GetValue<string>();
    }

    private static async Task<HttpResponseMessage> PutSupportAsync(HttpClient client, Guid accountId, string email)
    {
        var uri = $"/v1/accounts/{accountId}/profiles/support";
        var (_, etag) = await GetWithETagAsync(client, uri);
        return await client.SendAsync(Json(HttpMethod.Put, uri, SupportBody(email), etag));
    }

    [Test]
    public async Task ChangeAccountStatus_WhenOperatorSuspends_ShouldReturnTheStatusShowItEverywhereAndAuditIt()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        using var op = AsOperator();

        var status = await ChangeStatusOkAsync(op, accountId, new { status = "suspended", reason = "Unpaid invoices" });

        Assert.Multiple(async () =>
        {
            Assert.That(status["status"]!.GetValue<string>(), Is.EqualTo("suspended"));
            Assert.That(status["reason"]!.GetValue<string>(), Is.EqualTo("Unpaid invoices"));
            Assert.That(status["changedAt"]!.GetValue<DateTime>(), Is.EqualTo(DateTime.UtcNow).Within(TimeSpan.FromMinutes(5)));
            Assert.That(await SummaryStatusAsync(admin, accountId), Is.EqualTo("suspended"));
            Assert.That(await PickerStatusAsync(admin, accountId), Is.EqualTo("suspended"));
        });
        var records = await StatusChangesAuditedAsync(accountId);
        Assert.That(records, Has.Count.EqualTo(1));
        Assert.That(records[0].Actor, Does.StartWith("operator-"));
        Assert.That(JsonNode.Parse(records[0].Before!)!.ToJsonString(), Is.EqualTo("""{"status":"active"}"""));
        Assert.That(JsonNode.Parse(records[0].After!)!.ToJsonString(), Is.EqualTo("""{"status":"suspended","reason":"Unpaid invoices"}"""));
    }

    [Test]
    public async Task AccountPicker_WhenActive_ShouldShowActive()
    {
        var (admin, accountId, account) = await NewAdminWithAccountAsync();

        Assert.That(account["status"]!.GetValue<string>(), Is.EqualTo("active"));
        Assert.That(await PickerStatusAsync(admin, accountId), Is.EqualTo("active"));
    }

    [TestCase("suspended")]
    [TestCase("closed")]
    public async Task Writes_WhenAccountIsNotActive_ShouldBe409AccountNotActiveAndChangeNothingWhileReadsWork(string status)
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (member, _, _) = await NewMemberAsync(admin, accountId, "account-admin");
        using var op = AsOperator();
        await ChangeStatusOkAsync(op, accountId, new { status, reason = "Compliance review" });
        var before = await StoredData.SnapshotAsync(Factory, accountId);

        using var support = await PutSupportAsync(admin, accountId, "help@fabrikam.example");
        using var invite = await admin.PostAsJsonAsync($"/v1/accounts/{accountId}/users", new { email = NewEmail("invitee"), roles = new[] { "developer" } });
        using var key = await member.PostAsJsonAsync(ApiKeyRequests.KeysOf(accountId), new { name = "late" });
        using var decision = await op.PostAsJsonAsync($"/v1/accounts/{accountId}/verification/decisions", new { status = "inReview" });
        using var read = await member.GetAsync(new Uri($"/v1/accounts/{accountId}/profiles/support", UriKind.Relative));
        using var users = await admin.GetAsync(new Uri($"/v1/accounts/{accountId}/users", UriKind.Relative));

        await AssertProblemAsync(support, HttpStatusCode.Conflict, "account_not_active");
        await AssertProblemAsync(invite, HttpStatusCode.Conflict, "account_not_active");
        await AssertProblemAsync(key, HttpStatusCode.Conflict, "account_not_active");
        await AssertProblemAsync(decision, HttpStatusCode.Conflict, "account_not_active");
        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK), "members still read");
        Assert.That(users.StatusCode, Is.EqualTo(HttpStatusCode.OK), "members still read");
        Assert.That(StoredData.Difference(before, await StoredData.SnapshotAsync(Factory, accountId)), Is.Null, "a refused change changes nothing");
    }

    [Test]
    public async Task Writes_WhenNonMemberWritesToASuspendedAccount_ShouldStillBe404()
    {
        var (_, accountId, _) = await NewAdminWithAccountAsync();
        using var op = AsOperator();
        await ChangeStatusOkAsync(op, accountId, new { status = "suspended", reason = "Review" });
        using var stranger = As(NewEmail("stranger"));

        using var response = await stranger.PostAsJsonAsync(ApiKeyRequests.KeysOf(accountId), new { name = "x" });

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "account_not_found");
    }

    [TestCase("suspended")]
    [TestCase("closed")]
    public async Task Reactivation_AfterSuspensionOrClosure_ShouldRestoreVerificationKeysAndWrites(string status)
    {
        var (admin, accountId, account) = await NewAdminWithAccountAsync();
        var mpnId = account["mpnId"]!.GetValue<string>();
        var key = await ApiKeyRequests.CreateAsync(admin, accountId);
        using var integration = ApiKeyRequests.WithKey(Anonymous(), key.Secret);
        using var verifier = As(NewEmail("verifier"));
        using var op = AsOperator();
        using (var warm = await integration.GetAsync(new Uri(VerifyUri(mpnId), UriKind.Relative)))
        {
            Assert.That(warm.StatusCode, Is.EqualTo(HttpStatusCode.OK), "verified (and cached) while active");
        }

        await ChangeStatusOkAsync(op, accountId, new { status, reason = "Compliance review" });

        using (var byKey = await integration.GetAsync(new Uri(VerifyUri(mpnId), UriKind.Relative)))
        using (var byBearer = await verifier.GetAsync(new Uri(VerifyUri(mpnId), UriKind.Relative)))
        {
            await AssertProblemAsync(byKey, HttpStatusCode.Unauthorized, "invalid_api_key");
            await AssertProblemAsync(byBearer, HttpStatusCode.NotFound, "mpn_id_not_found");
        }

        var reactivated = await ChangeStatusOkAsync(op, accountId, new { status = "active" });

        Assert.That(reactivated["status"]!.GetValue<string>(), Is.EqualTo("active"));
        Assert.That(reactivated["reason"], Is.Null);
        using (var byKey = await integration.GetAsync(new Uri(VerifyUri(mpnId), UriKind.Relative)))
        using (var byBearer = await verifier.GetAsync(new Uri(VerifyUri(mpnId), UriKind.Relative)))
        {
            Assert.That(byKey.StatusCode, Is.EqualTo(HttpStatusCode.OK), await byKey.Content.ReadAsStringAsync());
            Assert.That(byBearer.StatusCode, Is.EqualTo(HttpStatusCode.OK), await byBearer.Content.ReadAsStringAsync());
        }

        using var write = await PutSupportAsync(admin, accountId, "back@fabrikam.example");
        Assert.That(write.StatusCode, Is.EqualTo(HttpStatusCode.OK), await write.Content.ReadAsStringAsync());
        Assert.That(await SummaryStatusAsync(admin, accountId), Is.EqualTo("active"));
        var records = await StatusChangesAuditedAsync(accountId);
        Assert.That(records.Select(r => JsonNode.Parse(r.After!)!["status"]!.GetValue<string>()), Is.EqualTo(new[] { status, "active" }));
    }

    [Test]
    public async Task ChangeAccountStatus_WhenGlobalAdminClosesWithTheLegalName_ShouldClose()
    {
        var admin = As(NewEmail("admin"));
        var legalName = "Fabrikam Closing " + Guid.NewGuid().ToString("N")[..6];
        var account = await CreateAccountAsync(admin, legalName);
        var accountId = account["id"]!.GetValue<Guid>();

        var closed = await ChangeStatusOkAsync(admin, accountId, new { status = "closed", confirmLegalName = legalName });

        Assert.That(closed["status"]!.GetValue<string>(), Is.EqualTo("closed"));
        Assert.That(await SummaryStatusAsync(admin, accountId), Is.EqualTo("closed"));
        var records = await StatusChangesAuditedAsync(accountId);
        Assert.That(records.Single().Actor, Does.StartWith("admin-"));

        using var again = await ChangeStatusAsync(admin, accountId, new { status = "closed", confirmLegalName = legalName });
        await AssertProblemAsync(again, HttpStatusCode.Conflict, "account_status_unchanged");
    }

    [TestCase(null)]
    [TestCase("Someone Else Ltd")]
    public async Task ChangeAccountStatus_WhenGlobalAdminClosesWithoutTheRightLegalName_ShouldBe422AndStayActive(string? confirmation)
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();

        using var response = await ChangeStatusAsync(admin, accountId, new { status = "closed", confirmLegalName = confirmation });

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "legal_name_confirmation_mismatch");
        Assert.That(FieldErrors(problem), Is.EquivalentTo(new[] { "confirmLegalName" }));
        Assert.That(await SummaryStatusAsync(admin, accountId), Is.EqualTo("active"));
    }

    [TestCase("suspended")]
    [TestCase("active")]
    public async Task ChangeAccountStatus_WhenGlobalAdminAsksForAnythingButClosed_ShouldBe403(string status)
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();

        using var response = await ChangeStatusAsync(admin, accountId, new { status, reason = "please" });

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "operator_required");
    }

    [Test]
    public async Task ChangeAccountStatus_WhenGlobalAdminOfASuspendedAccountAsksToReactivate_ShouldBe403AndStaySuspended()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        using var op = AsOperator();
        await ChangeStatusOkAsync(op, accountId, new { status = "suspended", reason = "Review" });

        using var response = await ChangeStatusAsync(admin, accountId, new { status = "active" });

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "operator_required");
        Assert.That(await SummaryStatusAsync(admin, accountId), Is.EqualTo("suspended"));
    }

    [Test]
    public async Task ChangeAccountStatus_WhenAccountAdminTriesToClose_ShouldBe403PermissionDenied()
    {
        var admin = As(NewEmail("admin"));
        var legalName = "Fabrikam Guarded " + Guid.NewGuid().ToString("N")[..6];
        var accountId = (await CreateAccountAsync(admin, legalName))["id"]!.GetValue<Guid>();
        var (accountAdmin, _, _) = await NewMemberAsync(admin, accountId, "account-admin");

        using var response = await ChangeStatusAsync(accountAdmin, accountId, new { status = "closed", confirmLegalName = legalName });

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "permission_denied");
        Assert.That(await SummaryStatusAsync(admin, accountId), Is.EqualTo("active"));
    }

    [Test]
    public async Task ChangeAccountStatus_WhenCallerIsNotAMember_ShouldBe404()
    {
        var (_, accountId, _) = await NewAdminWithAccountAsync();
        using var stranger = As(NewEmail("stranger"));

        using var response = await ChangeStatusAsync(stranger, accountId, new { status = "closed", confirmLegalName = "anything" });

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "account_not_found");
    }

    [Test]
    public async Task ChangeAccountStatus_WhenAccountDoesNotExist_ShouldBe404ForOperators()
    {
        using var op = AsOperator();

        using var response = await ChangeStatusAsync(op, Guid.NewGuid(), new { status = "suspended", reason = "x" });

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "account_not_found");
    }

    [TestCase("suspended")]
    [TestCase("closed")]
    public async Task ChangeAccountStatus_WhenOperatorGivesNoReason_ShouldBe422StatusReasonRequired(string status)
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        using var op = AsOperator();

        using var response = await ChangeStatusAsync(op, accountId, new { status });

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "status_reason_required");
        Assert.That(FieldErrors(problem), Is.EquivalentTo(new[] { "reason" }));
        Assert.That(await SummaryStatusAsync(admin, accountId), Is.EqualTo("active"));
    }

    [Test]
    public async Task ChangeAccountStatus_WhenStatusIsAlreadyCurrent_ShouldBe409AndAuditNothing()
    {
        var (_, accountId, _) = await NewAdminWithAccountAsync();
        using var op = AsOperator();

        using var response = await ChangeStatusAsync(op, accountId, new { status = "active" });

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "account_status_unchanged");
        Assert.That(await StatusChangesAuditedAsync(accountId), Is.Empty);
    }

    [Test]
    public async Task ChangeAccountStatus_WithoutStatus_ShouldBe400ValidationFailed()
    {
        var (_, accountId, _) = await NewAdminWithAccountAsync();
        using var op = AsOperator();

        using var response = await ChangeStatusAsync(op, accountId, new { reason = "no status" });

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Does.Contain("status"));
    }

    [Test]
    public async Task ChangeAccountStatus_WithTooLongReason_ShouldBe400ValidationFailed()
    {
        var (_, accountId, _) = await NewAdminWithAccountAsync();
        using var op = AsOperator();

        using var response = await ChangeStatusAsync(op, accountId, new { status = "suspended", reason = new string('r', 1001) });

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Does.Contain("reason"));
    }

    [Test]
    public async Task ChangeAccountStatus_WhenOperatorClosesAndReopens_ShouldKeepEveryRow()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        await ApiKeyRequests.CreateAsync(admin, accountId);
        await InviteAsync(admin, accountId, NewEmail("kept"), "account-admin");
        using var op = AsOperator();
        var before = await StoredData.SnapshotAsync(Factory, accountId);

        await ChangeStatusOkAsync(op, accountId, new { status = "closed", reason = "Requested by the partner" });
        await ChangeStatusOkAsync(op, accountId, new { status = "active" });

        var after = await StoredData.SnapshotAsync(Factory, accountId);
        var rowsOf = (IReadOnlyList<string> rows, string type) => rows.Count(r => r.StartsWith(type + " ", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            foreach (var type in new[] { "ApiKey", "AccountMember", "RoleAssignment", "Location", "LegalBusinessProfile" })
            {
                Assert.That(rowsOf(after, type), Is.EqualTo(rowsOf(before, type)), type);
            }
        });
    }
}
