using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using PartnerAccounts.Api.OpenApi;
using PartnerAccounts.Tests.Http;

namespace PartnerAccounts.Tests.Contract;

/// <summary>What frontends rely on in the committed openapi/v1.json, checked on every operation (present and future).</summary>
public sealed class ContractDocumentTests
{
    private static readonly string Root = OpenApiDocumentTests.RepositoryRoot();

    private static readonly Lazy<JsonNode> Committed = new(() => JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "openapi", "v1.json")))!);

    private static IEnumerable<(string Name, string Path, JsonObject Operation)> Operations() =>
        Committed.Value["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Select(op => ($"{op.Key.ToUpperInvariant()} {path.Key}", path.Key, op.Value!.AsObject())));

    private static JsonNode? Resolve(JsonNode? node)
    {
        while (node?["$ref"]?.GetValue<string>() is { } reference)
        {
            node = Committed.Value.AsObject()["components"]![reference.Split('/')[2]]![reference.Split('/')[3]];
        }

        return node;
    }

    [Test]
    public void EveryOperation_ShouldDeclareItsSecurity_BearerUnlessAnonymous()
    {
        var anonymous = new[] { "POST /v1/auth/token" };
        Assert.Multiple(() =>
        {
            foreach (var (name, _, operation) in Operations())
            {
                var schemes = (operation["security"]?.AsArray() ?? []).SelectMany(s => s!.AsObject().Select(kv => kv.Key)).ToList();
                if (anonymous.Contains(name))
                {
                    Assert.That(schemes, Is.Empty, name);
                }
                else
                {
                    Assert.That(schemes, Does.Contain(PartnerOpenApi.BearerScheme), name);
                    Assert.That(schemes.Except([PartnerOpenApi.BearerScheme, PartnerOpenApi.ApiKeyScheme]), Is.Empty, name);
                }
            }
        });
        Assert.That(Committed.Value["security"], Is.Null, "security is declared per operation, not globally");
        var schemes = Committed.Value["components"]!["securitySchemes"]!;
        Assert.That(schemes[PartnerOpenApi.ApiKeyScheme]!["in"]!.GetValue<string>(), Is.EqualTo("header"));
        Assert.That(schemes[PartnerOpenApi.ApiKeyScheme]!["name"]!.GetValue<string>(), Is.EqualTo("X-Api-Key"));
        Assert.That(schemes[PartnerOpenApi.BearerScheme]!["scheme"]!.GetValue<string>(), Is.EqualTo("bearer"));
    }

    [Test]
    public void Security_ShouldFollowTheEndpointMetadata()
    {
        Assert.Multiple(() =>
        {
            Assert.That(OpenApiConventions.Security([]), Is.EqualTo(new[] { PartnerOpenApi.BearerScheme }));
            Assert.That(OpenApiConventions.Security([new AllowAnonymousAttribute()]), Is.Empty);
            Assert.That(OpenApiConventions.Security([new ApiKeyAuthAttribute()]), Is.EqualTo(new[] { PartnerOpenApi.ApiKeyScheme, PartnerOpenApi.BearerScheme }));
            Assert.That(OpenApiConventions.Security([new AllowAnonymousAttribute(), new ApiKeyAuthAttribute()]),
                Is.EqualTo(new[] { PartnerOpenApi.ApiKeyScheme, PartnerOpenApi.BearerScheme }), "an endpoint that checks the key itself is still key-or-bearer");
            Assert.That(OpenApiConventions.Security([new AuthorizeAttribute { AuthenticationSchemes = "ApiKey,Bearer" }]),
                Is.EqualTo(new[] { PartnerOpenApi.ApiKeyScheme, PartnerOpenApi.BearerScheme }));
        });
    }

    [Test]
    public void EveryOperation_ShouldHaveAnExampleAndDocumentEveryResponseWithItsHeaders()
    {
        Assert.Multiple(() =>
        {
            foreach (var (name, _, operation) in Operations())
            {
                var bodies = new List<JsonNode>();
                if (operation["requestBody"]?["content"] is JsonObject requestContent)
                {
                    bodies.AddRange(requestContent.Select(c => c.Value!));
                }

                var responses = operation["responses"]!.AsObject();
                Assert.That(responses.Select(r => r.Key), Does.Contain("500"), name);
                foreach (var (status, response) in responses)
                {
                    Assert.That(response!["headers"]?["X-Request-Id"], Is.Not.Null, $"{name} {status}: X-Request-Id");
                    bodies.AddRange((response["content"]?.AsObject() ?? []).Select(c => c.Value!));
                    if (status.StartsWith('4') || status.StartsWith('5'))
                    {
                        Assert.That(response["content"]?["application/problem+json"]?["schema"]?["$ref"]?.GetValue<string>(),
                            Is.EqualTo("#/components/schemas/ProblemDetails"), $"{name} {status}: a problem");
                    }
                }

                foreach (var media in bodies)
                {
                    var hasExample = media["example"] is not null || media["examples"] is JsonObject { Count: > 0 } ||
                        Resolve(media["schema"])?["example"] is not null ||
                        Resolve(media["schema"]?["items"])?["example"] is not null;
                    Assert.That(hasExample, Is.True, $"{name}: an example for {media["schema"]?.ToJsonString()}");
                }

                Assert.That(operation["description"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, name);
            }
        });
    }

    /// <summary>API.md: a database that cannot serve is 503 <c>service_unavailable</c> with <c>Retry-After</c>; only the fixed catalogues answer without it.</summary>
    [Test]
    public void EveryOperationThatNeedsTheDatabase_ShouldDocument503WithRetryAfter()
    {
        var withoutDatabase = new[] { "GET /v1/roles", "GET /v1/programs", "GET /v1/programs/{programId}" };
        Assert.Multiple(() =>
        {
            foreach (var (name, _, operation) in Operations())
            {
                var unavailable = operation["responses"]!["503"];
                if (withoutDatabase.Contains(name))
                {
                    Assert.That(unavailable, Is.Null, $"{name} answers without the database");
                    continue;
                }

                Assert.That(unavailable?["headers"]?["Retry-After"], Is.Not.Null, $"{name}: 503 with Retry-After");
                Assert.That(unavailable?["description"]?.GetValue<string>(), Does.Contain("service_unavailable"), name);
            }
        });
    }

    [Test]
    public void OperationsWithPreconditions_ShouldDocumentTheirHeaders()
    {
        Assert.Multiple(() =>
        {
            foreach (var (name, _, operation) in Operations())
            {
                var responses = operation["responses"]!.AsObject();
                var headerParameters = (operation["parameters"]?.AsArray() ?? []).Where(p => p!["in"]!.GetValue<string>() == "header")
                    .ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["required"]?.GetValue<bool>() == true);
                Assert.That(headerParameters.TryGetValue("If-Match", out var required) && required, Is.EqualTo(responses.ContainsKey("428")), $"{name}: If-Match");
                Assert.That(headerParameters.ContainsKey("If-None-Match"), Is.EqualTo(responses.ContainsKey("304")), $"{name}: If-None-Match");
                if (responses["201"] is JsonObject created)
                {
                    // A temporary password is shown once and has no URL of its own.
                    var noLocation = name == "POST /v1/accounts/{accountId}/users/{userId}/password-resets";
                    Assert.That(created["headers"]?["Location"] is not null, Is.EqualTo(!noLocation), $"{name}: Location");
                }

                if (responses["429"] is JsonObject limited)
                {
                    Assert.That(limited["headers"]?["Retry-After"], Is.Not.Null, $"{name}: Retry-After");
                }

                if (responses.ContainsKey("200") && (responses.ContainsKey("304") || responses.ContainsKey("428")))
                {
                    Assert.That(responses["200"]?["headers"]?["ETag"], Is.Not.Null, $"{name}: ETag");
                }
            }
        });
    }

    [TestCase("POST /v1/accounts/{accountId}/webhooks", "201", "secret")]
    [TestCase("POST /v1/accounts/{accountId}/webhooks/{webhookId}/secret-rotations", "200", "secret")]
    [TestCase("POST /v1/accounts/{accountId}/api-keys", "201", "secret")]
    [TestCase("POST /v1/accounts/{accountId}/users", "201", "temporaryPassword")]
    [TestCase("POST /v1/accounts/{accountId}/users/{userId}/password-resets", "201", "temporaryPassword")]
    public void ResponsesWithASecret_ShouldDocumentThatAReplayMayWithholdIt(string operationName, string status, string secret)
    {
        var operation = Operations().Single(o => o.Name == operationName).Operation;
        var response = operation["responses"]![status]!;
        var schema = Resolve(response["content"]!["application/json"]!["schema"])!;

        Assert.Multiple(() =>
        {
            Assert.That(Resolve(response["headers"]?[OpenApiConventions.IdempotentSecretWithheldHeader]), Is.Not.Null,
                $"{operationName}: a replay whose secret is no longer valid says {OpenApiConventions.IdempotentSecretWithheldHeader}: true");
            Assert.That(schema["properties"]![secret], Is.Not.Null);
            Assert.That(schema["required"]!.AsArray().Select(r => r!.GetValue<string>()), Does.Not.Contain(secret),
                $"{operationName}: such a replay leaves {secret} out");
        });
    }

    [Test]
    public void ResponsesWithoutASecret_ShouldNotDocumentTheWithheldHeader()
    {
        var withheld = Operations()
            .Where(o => o.Operation["responses"]!.AsObject().Any(r => r.Value?["headers"]?[OpenApiConventions.IdempotentSecretWithheldHeader] is not null))
            .Select(o => o.Name);

        Assert.That(withheld, Is.EquivalentTo(new[]
        {
            "POST /v1/accounts/{accountId}/webhooks", "POST /v1/accounts/{accountId}/webhooks/{webhookId}/secret-rotations",
            "POST /v1/accounts/{accountId}/api-keys", "POST /v1/accounts/{accountId}/users", "POST /v1/accounts/{accountId}/users/{userId}/password-resets",
        }));
    }

    [Test]
    public void ProblemDetailsSchema_ShouldCarryCodeErrorsAndRequestId()
    {
        var problem = Committed.Value["components"]!["schemas"]!["ProblemDetails"]!;
        var required = problem["required"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();

        Assert.That(required, Is.SupersetOf(new[] { "type", "title", "status", "code", "requestId" }));
        Assert.That(problem["properties"]!["errors"]!["additionalProperties"]!["type"]!.GetValue<string>(), Is.EqualTo("array"));
        Assert.That(problem["properties"]!["code"]!["pattern"], Is.Not.Null);
    }

    [Test]
    public void EnumsAndResponseFields_ShouldBeDescribedAsTheServiceWritesThem()
    {
        var schemas = Committed.Value["components"]!["schemas"]!;
        var verification = schemas["VerificationStatus"]!;
        var account = schemas["AccountResponse"]!;

        Assert.That(verification["type"]!.GetValue<string>(), Is.EqualTo("string"));
        Assert.That(verification["enum"]!.AsArray().Select(v => v!.GetValue<string>()), Does.Contain("inReview"));
        Assert.That(account["required"]!.AsArray().Select(r => r!.GetValue<string>()), Is.EquivalentTo(account["properties"]!.AsObject().Select(p => p.Key)),
            "every field of a response record is always written");
        Assert.That(account["properties"]!["verificationReason"]!["nullable"]!.GetValue<bool>(), Is.True);
        Assert.That(account["properties"]!["legalName"]!["nullable"], Is.Null);
    }
}
