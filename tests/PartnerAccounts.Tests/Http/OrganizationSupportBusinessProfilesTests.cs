using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>The organization, support and business profiles (GET + PUT with If-Match) and the read-only MPN profile.</summary>
public sealed class OrganizationSupportBusinessProfilesTests : ApiTest
{
    private static readonly string[] ChangeableProfiles = ["organization", "support", "business"];

    private static string ProfileUri(Guid accountId, string profile) => $"/v1/accounts/{accountId}/profiles/{profile}";

    /// <summary>A valid full replacement of each changeable profile, different from its defaults in every field.</summary>
    private static object ValidBody(string profile) => profile switch
    {
        "organization" => new
        {
            companyName = "Contoso Deutschland",
            email = "hallo@contoso.example",
            language = "de",
            culture = "de-DE",
            address = new { addressLine1 = "Unter den Linden 1", addressLine2 = "3. OG", city = "Berlin", postalCode = "10117", country = "DE" },
        },
        "support" => new { email = "support@contoso.example", phoneNumber = "+49 30 1234567", website = "https://support.contoso.example/help" },
        "business" => new
        {
            description = "We build CRM solutions for retailers.",
            website = "https://contoso.example",
            industries = new[] { "Retail", "Healthcare" },
            products = new[] { "Contoso CRM" },
            services = new[] { "Consulting", "Managed services" },
            logoUrl = "https://cdn.contoso.example/logo.png",
        },
        _ => throw new ArgumentOutOfRangeException(nameof(profile)),
    };

    private static async Task<HttpResponseMessage> PutAsync(HttpClient client, string uri, object body, string? ifMatch) =>
        await client.SendAsync(Json(HttpMethod.Put, uri, body, ifMatch));

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string uri, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        return await client.SendAsync(request);
    }

    private static JsonNode ToNode(object value) => JsonNode.Parse(JsonSerializer.Serialize(value, new JsonSerializerOptions(JsonSerializerDefaults.Web)))!;

    // ---- defaults after account creation ----

    [Test]
    public async Task GetOrganizationProfile_AfterAccountCreation_ShouldReturnDefaultsFromEnrollmentWithStrongETag()
    {
        var (client, accountId, account) = await NewAdminWithAccountAsync();

        var (body, etag) = await GetWithETagAsync(client, ProfileUri(accountId, "organization"));

        Assert.Multiple(() =>
        {
            Assert.That(etag, Does.Match("^\"[0-9]+\"$"));
            Assert.That(body["companyName"]!.GetValue<string>(), Is.EqualTo(account["legalName"]!.GetValue<string>()));
            Assert.That(body["email"]!.GetValue<string>(), Is.EqualTo("pat@fabrikam.example"));
            Assert.That(body["language"]!.GetValue<string>(), Is.EqualTo("en"));
            Assert.That(body["culture"]!.GetValue<string>(), Is.EqualTo("en-US"));
            Assert.That(body["address"]!["addressLine1"]!.GetValue<string>(), Is.EqualTo("1 Main St"));
            Assert.That(body["address"]!["city"]!.GetValue<string>(), Is.EqualTo("Seattle"));
            Assert.That(body["address"]!["country"]!.GetValue<string>(), Is.EqualTo("US"));
        });
    }

    [Test]
    public async Task GetSupportProfile_AfterAccountCreation_ShouldReturnNoChannelsWithStrongETag()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        var (body, etag) = await GetWithETagAsync(client, ProfileUri(accountId, "support"));

        Assert.Multiple(() =>
        {
            Assert.That(etag, Does.Match("^\"[0-9]+\"$"));
            Assert.That(body.ContainsKey("email") && body.ContainsKey("phoneNumber") && body.ContainsKey("website"), Is.True, body.ToJsonString());
            Assert.That(body["email"], Is.Null);
            Assert.That(body["phoneNumber"], Is.Null);
            Assert.That(body["website"], Is.Null);
        });
    }

    [Test]
    public async Task GetBusinessProfile_AfterAccountCreation_ShouldReturnEmptyProfileWithStrongETag()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        var (body, etag) = await GetWithETagAsync(client, ProfileUri(accountId, "business"));

        Assert.Multiple(() =>
        {
            Assert.That(etag, Does.Match("^\"[0-9]+\"$"));
            Assert.That(body["description"], Is.Null);
            Assert.That(body["website"], Is.Null);
            Assert.That(body["logoUrl"], Is.Null);
            Assert.That(body["industries"]!.AsArray(), Is.Empty);
            Assert.That(body["products"]!.AsArray(), Is.Empty);
            Assert.That(body["services"]!.AsArray(), Is.Empty);
        });
    }

    // ---- conditional reads and writes, the same for every changeable profile ----

    [TestCaseSource(nameof(ChangeableProfiles))]
    public async Task GetProfile_WhenIfNoneMatchIsTheCurrentETag_ShouldReturn304(string profile)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var uri = ProfileUri(accountId, profile);
        var (_, etag) = await GetWithETagAsync(client, uri);

        using var current = await GetAsync(client, uri, etag);
        using var stale = await GetAsync(client, uri, "\"999\"");

        Assert.Multiple(() =>
        {
            Assert.That(current.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
            Assert.That(current.Headers.ETag?.Tag, Is.EqualTo(etag));
            Assert.That(stale.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [TestCaseSource(nameof(ChangeableProfiles))]
    public async Task PutProfile_WithCurrentETag_ShouldReplaceItReturnTheNewETagAndReadBack(string profile)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var uri = ProfileUri(accountId, profile);
        var (_, etag) = await GetWithETagAsync(client, uri);
        var body = ValidBody(profile);

        using var put = await PutAsync(client, uri, body, etag);

        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());
        var newETag = put.Headers.ETag;
        Assert.That(newETag, Is.Not.Null);
        Assert.That(newETag!.IsWeak, Is.False);
        Assert.That(newETag.Tag, Is.Not.EqualTo(etag));
        var returned = await ReadJsonAsync(put);
        var (read, readETag) = await GetWithETagAsync(client, uri);
        var expected = ToNode(body);
        Assert.Multiple(() =>
        {
            Assert.That(readETag, Is.EqualTo(newETag.Tag));
            Assert.That(JsonNode.DeepEquals(returned, read), Is.True, $"PUT returned {returned.ToJsonString()}, GET {read.ToJsonString()}");
            foreach (var (name, value) in expected.AsObject())
            {
                Assert.That(JsonNode.DeepEquals(WithoutNulls(read[name]), WithoutNulls(value)), Is.True, $"{name}: sent {value?.ToJsonString()}, read {read[name]?.ToJsonString()}");
            }
        });
    }

    [TestCaseSource(nameof(ChangeableProfiles))]
    public async Task PutProfile_WhenIfMatchIsMissing_ShouldReturn428AndChangeNothing(string profile)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var uri = ProfileUri(accountId, profile);
        var (before, etag) = await GetWithETagAsync(client, uri);

        using var put = await PutAsync(client, uri, ValidBody(profile), ifMatch: null);

        await AssertProblemAsync(put, (HttpStatusCode)428, "if_match_required");
        var (after, afterETag) = await GetWithETagAsync(client, uri);
        Assert.That(afterETag, Is.EqualTo(etag));
        Assert.That(JsonNode.DeepEquals(before, after), Is.True);
    }

    [TestCaseSource(nameof(ChangeableProfiles))]
    public async Task PutProfile_WhenETagIsStale_ShouldReturn412AndChangeNothing(string profile)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var uri = ProfileUri(accountId, profile);
        var (_, original) = await GetWithETagAsync(client, uri);
        using (var first = await PutAsync(client, uri, ValidBody(profile), original))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var (before, current) = await GetWithETagAsync(client, uri);
        var other = ToNode(ValidBody(profile)).AsObject();
        other[profile == "support" ? "email" : profile == "organization" ? "companyName" : "description"] = "other@contoso.example";

        using var stale = await PutAsync(client, uri, other.ToJsonString(), original);
        using var weak = await PutAsync(client, uri, other.ToJsonString(), "W/" + current);

        await AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed, "etag_mismatch");
        await AssertProblemAsync(weak, HttpStatusCode.PreconditionFailed, "etag_mismatch");
        var (after, afterETag) = await GetWithETagAsync(client, uri);
        Assert.That(afterETag, Is.EqualTo(current));
        Assert.That(JsonNode.DeepEquals(before, after), Is.True);
    }

    [TestCaseSource(nameof(ChangeableProfiles))]
    public async Task Profile_WhenCallerIsNotAMember_ShouldReturn404ForGetAndPut(string profile)
    {
        var (owner, accountId, _) = await NewAdminWithAccountAsync();
        var uri = ProfileUri(accountId, profile);
        var (before, etag) = await GetWithETagAsync(owner, uri);
        using var stranger = As(NewEmail("stranger"));

        using var get = await GetAsync(stranger, uri);
        using var put = await PutAsync(stranger, uri, ValidBody(profile), etag);
        using var unknown = await GetAsync(stranger, ProfileUri(Guid.NewGuid(), profile));

        await AssertProblemAsync(get, HttpStatusCode.NotFound, "account_not_found");
        await AssertProblemAsync(put, HttpStatusCode.NotFound, "account_not_found");
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound, "account_not_found");
        var (after, _) = await GetWithETagAsync(owner, uri);
        Assert.That(JsonNode.DeepEquals(before, after), Is.True);
    }

    [TestCaseSource(nameof(ChangeableProfiles))]
    public async Task Profile_WhenCallerIsOperator_ShouldReadButGet403OnPut(string profile)
    {
        var (owner, accountId, _) = await NewAdminWithAccountAsync();
        var uri = ProfileUri(accountId, profile);
        var (before, etag) = await GetWithETagAsync(owner, uri);
        using var op = AsOperator();

        var (seen, seenETag) = await GetWithETagAsync(op, uri);
        using var put = await PutAsync(op, uri, ValidBody(profile), etag);

        Assert.That(JsonNode.DeepEquals(seen, before), Is.True);
        Assert.That(seenETag, Is.EqualTo(etag));
        await AssertProblemAsync(put, HttpStatusCode.Forbidden, "permission_denied");
        var (after, afterETag) = await GetWithETagAsync(owner, uri);
        Assert.That(afterETag, Is.EqualTo(etag));
        Assert.That(JsonNode.DeepEquals(before, after), Is.True);
    }

    [TestCaseSource(nameof(ChangeableProfiles))]
    public async Task PutProfile_WhenItChanges_ShouldRecordAnAuditEntryWithBeforeAndAfter(string profile)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var uri = ProfileUri(accountId, profile);
        var (before, etag) = await GetWithETagAsync(client, uri);

        using var put = await PutAsync(client, uri, ValidBody(profile), etag);
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var (after, _) = await GetWithETagAsync(client, uri);

        var records = await AuditLog.ReadAsync(accountId, $"profiles/{profile}");
        Assert.That(records, Has.Count.EqualTo(1));
        var record = records[0];
        Assert.Multiple(() =>
        {
            Assert.That(record.Action, Is.EqualTo("updated"));
            Assert.That(record.Actor, Does.StartWith("admin-"));
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(record.Before!), before), Is.True, record.Before);
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(record.After!), after), Is.True, record.After);
        });
    }

    [TestCaseSource(nameof(ChangeableProfiles))]
    public async Task PutProfile_WhenIfMatchIsAStar_ShouldReplaceWhateverTheVersion(string profile)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var uri = ProfileUri(accountId, profile);
        var (_, etag) = await GetWithETagAsync(client, uri);

        using var put = await PutAsync(client, uri, ValidBody(profile), "*");

        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(put.Headers.ETag?.Tag, Is.Not.EqualTo(etag));
    }

    // ---- organization ----

    [Test]
    public async Task PutOrganizationProfile_WhenFieldsAreInvalid_ShouldReturn400ListingEveryFieldAndChangeNothing()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var uri = ProfileUri(accountId, "organization");
        var (before, etag) = await GetWithETagAsync(client, uri);
        var body = new
        {
            companyName = new string('c', 201),
            email = "not-an-email",
            language = "English!",
            culture = "en_US",
            address = new { addressLine1 = "", city = "Berlin", postalCode = "10117", country = "de" },
        };

        using var put = await PutAsync(client, uri, body, etag);

        var problem = await AssertProblemAsync(put, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EquivalentTo(new[]
        {
            "companyName", "email", "language", "culture", "address.addressLine1", "address.country",
        }));
        var (after, afterETag) = await GetWithETagAsync(client, uri);
        Assert.That(afterETag, Is.EqualTo(etag));
        Assert.That(JsonNode.DeepEquals(before, after), Is.True);
    }

    [Test]
    public async Task PutOrganizationProfile_WhenBodyIsEmpty_ShouldReturn400ListingEveryRequiredField()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var uri = ProfileUri(accountId, "organization");
        var (_, etag) = await GetWithETagAsync(client, uri);

        using var put = await PutAsync(client, uri, "{}", etag);

        var problem = await AssertProblemAsync(put, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EquivalentTo(new[] { "companyName", "email", "language", "culture", "address" }));
    }

    [TestCase("en-aaaaaaaa-bbbbbbbb-cccccccc-dddddddd")]
    [TestCase("e")]
    [TestCase("en-")]
    [TestCase("en US")]
    [TestCase("en\n")]
    public async Task PutOrganizationProfile_WhenLanguageIsNotALanguageTag_ShouldReturn400NamingLanguage(string language)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var uri = ProfileUri(accountId, "organization");
        var (_, etag) = await GetWithETagAsync(client, uri);
        var body = ToNode(ValidBody("organization")).AsObject();
        body["language"] = language;

        using var put = await PutAsync(client, uri, body.ToJsonString(), etag);

        var problem = await AssertProblemAsync(put, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EquivalentTo(new[] { "language" }));
    }

    [Test]
    public async Task PutOrganizationProfile_WhenCompanyNameChanges_ShouldRenameTheAccountInThePickerButNotTheLegalName()
    {
        var (client, accountId, account) = await NewAdminWithAccountAsync();
        var uri = ProfileUri(accountId, "organization");
        var (_, etag) = await GetWithETagAsync(client, uri);

        using var put = await PutAsync(client, uri, ValidBody("organization"), etag);
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        using var get = await client.GetAsync(new Uri($"/v1/accounts/{accountId}", UriKind.Relative));
        var summary = await ReadJsonAsync(get);
        Assert.Multiple(() =>
        {
            Assert.That(summary["displayName"]!.GetValue<string>(), Is.EqualTo("Contoso Deutschland"));
            Assert.That(summary["legalName"]!.GetValue<string>(), Is.EqualTo(account["legalName"]!.GetValue<string>()));
            Assert.That(summary["verificationStatus"]!.GetValue<string>(), Is.EqualTo("pending"));
        });
    }

    // ---- support ----

    [TestCase("{}")]
    [TestCase("{\"email\": null, \"phoneNumber\": null, \"website\": null}")]
    [TestCase("{\"email\": \"  \", \"phoneNumber\": \"\", \"website\": \" \"}")]
    public async Task PutSupportProfile_WhenNoChannelIsGiven_ShouldReturn400NamingEveryChannel(string raw)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var uri = ProfileUri(accountId, "support");
        var (_, etag) = await GetWithETagAsync(client, uri);

        using var put = await PutAsync(client, uri, raw, etag);

        var problem = await AssertProblemAsync(put, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EquivalentTo(new[] { "email", "phoneNumber", "website" }));
        Assert.That(problem["errors"]!["email"]![0]!.GetValue<string>(), Does.Contain("at least one support channel"));
        var (_, afterETag) = await GetWithETagAsync(client, uri);
        Assert.That(afterETag, Is.EqualTo(etag));
    }

    [Test]
    public async Task PutSupportProfile_WhenChannelsAreInvalid_ShouldReturn400NamingEachOne()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var uri = ProfileUri(accountId, "support");
        var (_, etag) = await GetWithETagAsync(client, uri);

        using var put = await PutAsync(client, uri, new { email = "support@", phoneNumber = "call us", website = "ftp://files.contoso.example" }, etag);

        var problem = await AssertProblemAsync(put, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EquivalentTo(new[] { "email", "phoneNumber", "website" }));
        Assert.That(problem["errors"]!["email"]![0]!.GetValue<string>(), Does.Not.Contain("at least one support channel"));
    }

    [Test]
    public async Task PutSupportProfile_WhenOneChannelIsInvalidAndAnotherValid_ShouldReturn400NamingOnlyTheInvalidOne()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var uri = ProfileUri(accountId, "support");
        var (_, etag) = await GetWithETagAsync(client, uri);

        using var put = await PutAsync(client, uri, new { email = "support@contoso.example", website = "contoso.example" }, etag);

        var problem = await AssertProblemAsync(put, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EquivalentTo(new[] { "website" }));
    }

    [Test]
    public async Task PutSupportProfile_WhenOnlyOneChannelIsGiven_ShouldClearTheOthers()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var uri = ProfileUri(accountId, "support");
        var (_, etag) = await GetWithETagAsync(client, uri);
        using (var full = await PutAsync(client, uri, ValidBody("support"), etag))
        {
            Assert.That(full.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            etag = full.Headers.ETag!.Tag;
        }

        using var put = await PutAsync(client, uri, new { phoneNumber = " +1 (425) 555-0100 ", website = "  " }, etag);

        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());
        var (read, _) = await GetWithETagAsync(client, uri);
        Assert.Multiple(() =>
        {
            Assert.That(read["email"], Is.Null);
            Assert.That(read["phoneNumber"]!.GetValue<string>(), Is.EqualTo("+1 (425) 555-0100"));
            Assert.That(read["website"], Is.Null);
        });
    }

    // ---- business ----

    [Test]
    public async Task PutBusinessProfile_WhenFieldsAreInvalid_ShouldReturn400ListingEveryFieldAndChangeNothing()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var uri = ProfileUri(accountId, "business");
        var (before, etag) = await GetWithETagAsync(client, uri);
        var body = new
        {
            description = new string('d', 4001),
            website = "not a url",
            industries = new[] { "Retail", " " },
            products = Enumerable.Range(0, 51).Select(i => $"Product {i}").ToArray(),
            services = new[] { new string('s', 101) },
            logoUrl = "javascript:alert(1)",
        };

        using var put = await PutAsync(client, uri, body, etag);

        var problem = await AssertProblemAsync(put, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EquivalentTo(new[]
        {
            "description", "website", "industries[1]", "products", "services[0]", "logoUrl",
        }));
        var (after, afterETag) = await GetWithETagAsync(client, uri);
        Assert.That(afterETag, Is.EqualTo(etag));
        Assert.That(JsonNode.DeepEquals(before, after), Is.True);
    }

    [Test]
    public async Task PutBusinessProfile_WhenAListHoldsNull_ShouldReturn400NamingTheItem()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var uri = ProfileUri(accountId, "business");
        var (_, etag) = await GetWithETagAsync(client, uri);

        using var put = await PutAsync(client, uri, "{\"industries\": [\"Retail\", null]}", etag);

        var problem = await AssertProblemAsync(put, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EquivalentTo(new[] { "industries[1]" }));
    }

    [Test]
    public async Task PutBusinessProfile_WhenListsAreAtTheirLimits_ShouldStoreThemTrimmed()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var uri = ProfileUri(accountId, "business");
        var (_, etag) = await GetWithETagAsync(client, uri);
        var products = Enumerable.Range(0, 50).Select(i => $"Product {i}").ToArray();
        var longest = new string('s', 100);

        using var put = await PutAsync(client, uri, new { products, services = new[] { longest }, industries = new[] { "  Retail " } }, etag);

        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());
        var (read, _) = await GetWithETagAsync(client, uri);
        Assert.Multiple(() =>
        {
            Assert.That(read["products"]!.AsArray().Select(p => p!.GetValue<string>()), Is.EqualTo(products));
            Assert.That(read["services"]!.AsArray().Select(p => p!.GetValue<string>()), Is.EqualTo(new[] { longest }));
            Assert.That(read["industries"]!.AsArray().Select(p => p!.GetValue<string>()), Is.EqualTo(new[] { "Retail" }));
        });
    }

    [Test]
    public async Task PutBusinessProfile_WhenFieldsAreLeftOut_ShouldClearThem()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var uri = ProfileUri(accountId, "business");
        var (_, etag) = await GetWithETagAsync(client, uri);
        using (var full = await PutAsync(client, uri, ValidBody("business"), etag))
        {
            Assert.That(full.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            etag = full.Headers.ETag!.Tag;
        }

        using var put = await PutAsync(client, uri, new { description = "Only a description now." }, etag);

        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var (read, _) = await GetWithETagAsync(client, uri);
        Assert.Multiple(() =>
        {
            Assert.That(read["description"]!.GetValue<string>(), Is.EqualTo("Only a description now."));
            Assert.That(read["website"], Is.Null);
            Assert.That(read["logoUrl"], Is.Null);
            Assert.That(read["industries"]!.AsArray(), Is.Empty);
            Assert.That(read["products"]!.AsArray(), Is.Empty);
            Assert.That(read["services"]!.AsArray(), Is.Empty);
        });
    }

    // ---- mpn (read-only) ----

    [Test]
    public async Task GetAccountMpnProfile_ShouldReturnTheAccountsMpnIdAndLegalNameWithStrongETag()
    {
        var (client, accountId, account) = await NewAdminWithAccountAsync();
        var uri = ProfileUri(accountId, "mpn");

        var (body, etag) = await GetWithETagAsync(client, uri);
        using var notModified = await GetAsync(client, uri, etag);

        Assert.Multiple(() =>
        {
            Assert.That(body["mpnId"]!.GetValue<string>(), Is.EqualTo(account["mpnId"]!.GetValue<string>()));
            Assert.That(body["partnerName"]!.GetValue<string>(), Is.EqualTo(account["legalName"]!.GetValue<string>()));
            Assert.That(body.Count, Is.EqualTo(2), body.ToJsonString());
            Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        });
    }

    [Test]
    public async Task GetAccountMpnProfile_WhenTheLegalNameChanges_ShouldShowTheNewPartnerNameUnderANewETag()
    {
        var (client, accountId, account) = await NewAdminWithAccountAsync();
        var uri = ProfileUri(accountId, "mpn");
        var (_, etag) = await GetWithETagAsync(client, uri);
        var legalUri = ProfileUri(accountId, "legalbusiness");
        var (legal, legalETag) = await GetWithETagAsync(client, legalUri);
        legal["companyName"] = "Renamed Holdings Ltd";

        using (var put = await PutAsync(client, legalUri, legal.ToJsonString(), legalETag))
        {
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var conditional = await GetAsync(client, uri, etag);
        Assert.That(conditional.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a stale ETag must not get 304");
        var (body, newETag) = await GetWithETagAsync(client, uri);
        Assert.Multiple(() =>
        {
            Assert.That(newETag, Is.Not.EqualTo(etag));
            Assert.That(body["partnerName"]!.GetValue<string>(), Is.EqualTo("Renamed Holdings Ltd"));
            Assert.That(body["mpnId"]!.GetValue<string>(), Is.EqualTo(account["mpnId"]!.GetValue<string>()));
        });
    }

    [Test]
    public async Task PutAccountMpnProfile_ShouldNotExist()
    {
        var (client, accountId, account) = await NewAdminWithAccountAsync();
        var uri = ProfileUri(accountId, "mpn");
        var (_, etag) = await GetWithETagAsync(client, uri);

        using var put = await PutAsync(client, uri, new { mpnId = "1234567", partnerName = "Someone else" }, etag);

        await AssertProblemAsync(put, HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        var (body, _) = await GetWithETagAsync(client, uri);
        Assert.That(body["mpnId"]!.GetValue<string>(), Is.EqualTo(account["mpnId"]!.GetValue<string>()));
    }

    [Test]
    public async Task GetAccountMpnProfile_WhenCallerIsNotAMember_ShouldReturn404()
    {
        var (_, accountId, _) = await NewAdminWithAccountAsync();
        using var stranger = As(NewEmail("stranger"));

        using var response = await GetAsync(stranger, ProfileUri(accountId, "mpn"));

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "account_not_found");
    }

    [Test]
    public async Task GetAccountMpnProfile_WhenCallerIsOperator_ShouldReturnIt()
    {
        var (_, accountId, account) = await NewAdminWithAccountAsync();
        using var op = AsOperator();

        var (body, _) = await GetWithETagAsync(op, ProfileUri(accountId, "mpn"));

        Assert.That(body["mpnId"]!.GetValue<string>(), Is.EqualTo(account["mpnId"]!.GetValue<string>()));
    }

    /// <summary>Null and a missing property mean the same to a reader; compare values with nulls dropped.</summary>
    private static JsonNode? WithoutNulls(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Key, WithoutNulls(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(WithoutNulls)]),
        null => null,
        _ => JsonNode.Parse(node.ToJsonString()),
    };
}
