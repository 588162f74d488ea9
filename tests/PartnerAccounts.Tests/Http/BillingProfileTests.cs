using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Infrastructure.Persistence;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

public sealed class BillingProfileTests : ApiTest
{
    private const string Iban = "GB82WEST12345698765432";
    private const string RoutingNumber = "021000021";
    private const string AccountNumber = "000123456789";

    /// <summary>Without spaces and in upper case, so a number cannot hide in the spaced or lower-case form it was sent in.</summary>
    private static string Squash(string text) => new(text.Where(c => !char.IsWhiteSpace(c)).Select(char.ToUpperInvariant).ToArray());

    private static string BillingUri(Guid accountId) => $"/v1/accounts/{accountId}/profiles/billing";

    private static object Body(object? bankInformation, string? purchaseOrderNumber = "PO-4711", string? taxId = "GB123456789") => new
    {
        address = new { addressLine1 = "10 Downing St", city = "London", postalCode = "SW1A 2AA", country = "GB" },
        purchaseOrderNumber,
        taxId,
        bankInformation,
    };

    private static object IbanBank(string iban = Iban, string? swiftBic = "NWBKGB2L") => new { accountHolderName = "Fabrikam Ltd", iban, swiftBic };

    private static object UsBank(string routingNumber = RoutingNumber, string accountNumber = AccountNumber) =>
        new { accountHolderName = "Fabrikam Inc", routingNumber, accountNumber };

    private static async Task<HttpResponseMessage> PutAsync(HttpClient client, Guid accountId, object body, string? ifMatch = "*") =>
        await client.SendAsync(Json(HttpMethod.Put, BillingUri(accountId), body, ifMatch));

    private static async Task<(string Json, string? Protected, string? Last4)> ReadStoredAsync(Guid accountId)
    {
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var audit = await db.AuditRecords.AsNoTracking()
            .Where(a => a.AccountId == accountId && a.Resource == "profiles/billing")
            .Select(a => (a.Before ?? string.Empty) + "\n" + (a.After ?? string.Empty))
            .ToListAsync();
        var profile = await db.BillingProfiles.AsNoTracking().SingleAsync(p => p.AccountId == accountId);
        var bank = profile.BankInformation;
        return (string.Join("\n", audit), bank?.ProtectedIban ?? bank?.ProtectedAccountNumber, bank?.Last4);
    }

    private static string Unprotect(string protectedValue)
    {
        using var scope = Factory.Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<ISecretProtector>().Unprotect(protectedValue);
    }

    [Test]
    public async Task GetBillingProfile_WhenNew_ShouldReturnTheEnrollmentAddressWithoutBankInformationAndAnETag()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        var (body, etag) = await GetWithETagAsync(client, BillingUri(accountId));

        Assert.Multiple(() =>
        {
            Assert.That(body["address"]!["addressLine1"]!.GetValue<string>(), Is.EqualTo("1 Main St"));
            Assert.That(body["address"]!["country"]!.GetValue<string>(), Is.EqualTo("US"));
            Assert.That(body["bankInformation"], Is.Null);
            Assert.That(body["purchaseOrderNumber"], Is.Null);
            Assert.That(etag, Is.Not.Empty);
        });
    }

    [Test]
    public async Task GetBillingProfile_WhenETagMatches_ShouldReturn304()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var (_, etag) = await GetWithETagAsync(client, BillingUri(accountId));

        using var request = new HttpRequestMessage(HttpMethod.Get, BillingUri(accountId));
        request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        using var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }

    [Test]
    public async Task ReplaceBillingProfile_WhenIbanIsValid_ShouldStoreItProtectedAndReturnOnlyTheLastFour()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var (_, etag) = await GetWithETagAsync(client, BillingUri(accountId));

        using var put = await PutAsync(client, accountId, Body(IbanBank("gb82 west 1234 5698 7654 32")), etag);
        var putText = await put.Content.ReadAsStringAsync();
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), putText);
        Assert.That(put.Headers.ETag?.Tag, Is.Not.EqualTo(etag));

        using var get = await client.GetAsync(new Uri(BillingUri(accountId), UriKind.Relative));
        var getText = await get.Content.ReadAsStringAsync();
        var bank = JsonNode.Parse(getText)!["bankInformation"]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(bank["accountHolderName"]!.GetValue<string>(), Is.EqualTo("Fabrikam Ltd"));
            Assert.That(bank["ibanLast4"]!.GetValue<string>(), Is.EqualTo("5432"));
            Assert.That(bank["accountNumberLast4"], Is.Null);
            Assert.That(bank["routingNumber"], Is.Null);
            Assert.That(bank["swiftBic"]!.GetValue<string>(), Is.EqualTo("NWBKGB2L"));
            Assert.That(bank.Select(p => p.Key), Has.None.EqualTo("iban"));
            Assert.That(JsonNode.Parse(getText)!["purchaseOrderNumber"]!.GetValue<string>(), Is.EqualTo("PO-4711"));
            Assert.That(Squash(getText), Does.Not.Contain(Iban).And.Not.Contain("12345698"));
            Assert.That(Squash(putText), Does.Not.Contain(Iban).And.Not.Contain("12345698"));
        });

        var (auditJson, stored, last4) = await ReadStoredAsync(accountId);
        Assert.Multiple(() =>
        {
            Assert.That(auditJson, Does.Contain("\"ibanLast4\":\"5432\""), "the change is audited with the masked bank information");
            Assert.That(Squash(auditJson), Does.Not.Contain(Iban).And.Not.Contain("12345698"));
            Assert.That(stored, Is.Not.Null);
            Assert.That(Squash(stored!), Does.Not.Contain(Iban).And.Not.Contain("12345698"));
            Assert.That(last4, Is.EqualTo("5432"));
            Assert.That(Unprotect(stored!), Is.EqualTo(Iban), "the protected column holds the normalized IBAN, recoverable only through the protector");
        });
    }

    [Test]
    public async Task ReplaceBillingProfile_WhenUsRoutingAndAccountNumberAreValid_ShouldStoreTheAccountNumberProtectedAndReturnTheLastFour()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        using var put = await PutAsync(client, accountId, Body(UsBank()));
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());

        using var get = await client.GetAsync(new Uri(BillingUri(accountId), UriKind.Relative));
        var getText = await get.Content.ReadAsStringAsync();
        var bank = JsonNode.Parse(getText)!["bankInformation"]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(bank["accountHolderName"]!.GetValue<string>(), Is.EqualTo("Fabrikam Inc"));
            Assert.That(bank["routingNumber"]!.GetValue<string>(), Is.EqualTo(RoutingNumber));
            Assert.That(bank["accountNumberLast4"]!.GetValue<string>(), Is.EqualTo("6789"));
            Assert.That(bank["ibanLast4"], Is.Null);
            Assert.That(bank["swiftBic"], Is.Null);
            Assert.That(getText, Does.Not.Contain(AccountNumber));
        });

        var (auditJson, stored, _) = await ReadStoredAsync(accountId);
        Assert.Multiple(() =>
        {
            Assert.That(auditJson, Does.Contain("\"accountNumberLast4\":\"6789\""));
            Assert.That(auditJson, Does.Not.Contain(AccountNumber));
            Assert.That(stored, Is.Not.Null.And.Not.Contain(AccountNumber));
            Assert.That(Unprotect(stored!), Is.EqualTo(AccountNumber));
        });
    }

    [Test]
    public async Task ReplaceBillingProfile_WhenBankInformationIsNull_ShouldRemoveIt()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        using (var first = await PutAsync(client, accountId, Body(IbanBank())))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var put = await PutAsync(client, accountId, Body(null, purchaseOrderNumber: null, taxId: null));
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());

        var (body, _) = await GetWithETagAsync(client, BillingUri(accountId));
        Assert.Multiple(() =>
        {
            Assert.That(body["bankInformation"], Is.Null);
            Assert.That(body["purchaseOrderNumber"], Is.Null);
            Assert.That(body["taxId"], Is.Null);
            Assert.That(body["address"]!["city"]!.GetValue<string>(), Is.EqualTo("London"));
        });
        var (_, stored, last4) = await ReadStoredAsync(accountId);
        Assert.That(stored, Is.Null);
        Assert.That(last4, Is.Null);
    }

    [TestCase("GB82WEST12345698765433")]
    [TestCase("DE89370400440532013001")]
    [TestCase("GB82WEST1234")]
    public async Task ReplaceBillingProfile_WhenIbanChecksumIsWrong_ShouldReturn400NamingTheIbanAndKeepTheProfile(string iban)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        using var response = await PutAsync(client, accountId, Body(IbanBank(iban)));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EqualTo(new[] { "bankInformation.iban" }));
        Assert.That(problem.ToJsonString(), Does.Not.Contain(iban), "a rejected number is not echoed back");
        var (body, _) = await GetWithETagAsync(client, BillingUri(accountId));
        Assert.That(body["bankInformation"], Is.Null);
    }

    [Test]
    public async Task ReplaceBillingProfile_WhenRoutingNumberChecksumIsWrong_ShouldReturn400NamingIt()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        using var response = await PutAsync(client, accountId, Body(UsBank(routingNumber: "021000022")));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EqualTo(new[] { "bankInformation.routingNumber" }));
    }

    [Test]
    public async Task ReplaceBillingProfile_WhenAccountNumberIsNotDigits_ShouldReturn400NamingIt()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        using var response = await PutAsync(client, accountId, Body(UsBank(accountNumber: "12-34")));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EqualTo(new[] { "bankInformation.accountNumber" }));
    }

    [Test]
    public async Task ReplaceBillingProfile_WhenRoutingNumberComesWithoutAccountNumber_ShouldReturn400NamingTheMissingField()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        using var response = await PutAsync(client, accountId, Body(new { accountHolderName = "Fabrikam Inc", routingNumber = RoutingNumber }));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EqualTo(new[] { "bankInformation.accountNumber" }));
    }

    [Test]
    public async Task ReplaceBillingProfile_WhenBothIbanAndUsAccountAreGiven_ShouldReturn400()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var bank = new { accountHolderName = "Fabrikam", iban = Iban, routingNumber = RoutingNumber, accountNumber = AccountNumber };

        using var response = await PutAsync(client, accountId, Body(bank));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EqualTo(new[] { "bankInformation" }));
        var (body, _) = await GetWithETagAsync(client, BillingUri(accountId));
        Assert.That(body["bankInformation"], Is.Null);
    }

    [Test]
    public async Task ReplaceBillingProfile_WhenNeitherIbanNorUsAccountIsGiven_ShouldReturn400()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        using var response = await PutAsync(client, accountId, Body(new { accountHolderName = "Fabrikam" }));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EqualTo(new[] { "bankInformation" }));
    }

    [Test]
    public async Task ReplaceBillingProfile_WhenFieldsAreInvalid_ShouldReturn400ListingEveryOne()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var body = new
        {
            address = new { addressLine1 = "", city = "London", postalCode = "SW1A 2AA", country = "UK" },
            purchaseOrderNumber = new string('p', 51),
            taxId = new string('t', 51),
            bankInformation = new { accountHolderName = "", iban = Iban, swiftBic = "NWBK-GB" },
        };

        using var response = await PutAsync(client, accountId, body);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EquivalentTo(new[]
        {
            "address.addressLine1", "address.country", "purchaseOrderNumber", "taxId", "bankInformation.accountHolderName", "bankInformation.swiftBic",
        }));
    }

    [Test]
    public async Task ReplaceBillingProfile_WhenIfMatchIsMissing_ShouldReturn428()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        using var response = await PutAsync(client, accountId, Body(IbanBank()), ifMatch: null);

        await AssertProblemAsync(response, HttpStatusCode.PreconditionRequired, "if_match_required");
    }

    [Test]
    public async Task ReplaceBillingProfile_WhenETagIsStale_ShouldReturn412AndKeepTheNewerVersion()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var (_, stale) = await GetWithETagAsync(client, BillingUri(accountId));
        using (var first = await PutAsync(client, accountId, Body(UsBank()), stale))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var response = await PutAsync(client, accountId, Body(IbanBank()), stale);

        await AssertProblemAsync(response, HttpStatusCode.PreconditionFailed, "etag_mismatch");
        var (body, _) = await GetWithETagAsync(client, BillingUri(accountId));
        Assert.That(body["bankInformation"]!["accountNumberLast4"]!.GetValue<string>(), Is.EqualTo("6789"));
    }

    [Test]
    public async Task BillingProfile_WhenCallerIsNotAMember_ShouldReturn404ForReadAndWrite()
    {
        var (_, accountId, _) = await NewAdminWithAccountAsync();
        using var stranger = As(NewEmail("stranger"));

        using var get = await stranger.GetAsync(new Uri(BillingUri(accountId), UriKind.Relative));
        using var put = await PutAsync(stranger, accountId, Body(IbanBank()));

        await AssertProblemAsync(get, HttpStatusCode.NotFound, "account_not_found");
        await AssertProblemAsync(put, HttpStatusCode.NotFound, "account_not_found");
    }

    [Test]
    public async Task BillingProfile_WhenCallerIsOperator_ShouldReadMaskedButNotWrite()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        using (var first = await PutAsync(client, accountId, Body(IbanBank())))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var op = AsOperator();
        var (body, etag) = await GetWithETagAsync(op, BillingUri(accountId));
        using var put = await PutAsync(op, accountId, Body(null), etag);

        Assert.That(body["bankInformation"]!["ibanLast4"]!.GetValue<string>(), Is.EqualTo("5432"));
        Assert.That(body.ToJsonString(), Does.Not.Contain(Iban));
        await AssertProblemAsync(put, HttpStatusCode.Forbidden, "permission_denied");
        var (after, _) = await GetWithETagAsync(client, BillingUri(accountId));
        Assert.That(after["bankInformation"], Is.Not.Null);
    }
}
