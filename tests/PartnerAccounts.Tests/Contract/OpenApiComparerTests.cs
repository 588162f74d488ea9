using System.Text.Json.Nodes;

namespace PartnerAccounts.Tests.Contract;

/// <summary>The breaking-change guard on small hand-made documents, so it is seen to fail on each kind of break.</summary>
public sealed class OpenApiComparerTests
{
    /// <summary>GET /v1/things/{id} answering a Thing (id, name, optional note) and POST /v1/things taking a NewThing.</summary>
    private static JsonNode Document(Action<JsonNode>? change = null)
    {
        var document = JsonNode.Parse("""
            {
              "openapi": "3.0.4",
              "paths": {
                "/v1/things/{id}": {
                  "get": {
                    "operationId": "GetThing",
                    "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "string" } } ],
                    "responses": {
                      "200": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Thing" } } } },
                      "404": { "content": { "application/problem+json": { "schema": { "type": "object" } } } }
                    }
                  }
                },
                "/v1/things": {
                  "post": {
                    "operationId": "CreateThing",
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NewThing" } } } },
                    "responses": { "201": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Thing" } } } } }
                  }
                }
              },
              "components": {
                "schemas": {
                  "Thing": {
                    "type": "object",
                    "required": [ "id", "name", "owner" ],
                    "properties": {
                      "id": { "type": "string" },
                      "name": { "type": "string" },
                      "note": { "type": "string", "nullable": true },
                      "owner": { "$ref": "#/components/schemas/Owner" }
                    }
                  },
                  "Owner": { "type": "object", "required": [ "email" ], "properties": { "email": { "type": "string" } } },
                  "NewThing": {
                    "type": "object",
                    "required": [ "name" ],
                    "properties": {
                      "name": { "type": "string" },
                      "note": { "type": "string", "nullable": true },
                      "owner": { "$ref": "#/components/schemas/NewOwner" }
                    }
                  },
                  "NewOwner": { "type": "object", "required": [ "email" ], "properties": { "email": { "type": "string" } } }
                }
              }
            }
            """)!;
        change?.Invoke(document);
        return document;
    }

    private static IReadOnlyList<string> Changes(Action<JsonNode> change) => OpenApiComparer.BreakingChanges(Document(), Document(change));

    private static JsonObject Schema(JsonNode document, string name) => document["components"]!["schemas"]![name]!.AsObject();

    [Test]
    public void BreakingChanges_WhenNothingChanged_ShouldFindNone() =>
        Assert.That(OpenApiComparer.BreakingChanges(Document(), Document()), Is.Empty);

    [Test]
    public void BreakingChanges_WhenOnlyAdditionsThatOldClientsIgnore_ShouldFindNone()
    {
        var changes = Changes(d =>
        {
            d["paths"]!.AsObject()["/v1/others"] = JsonNode.Parse("""{ "get": { "operationId": "ListOthers", "responses": { "200": {} } } }""");
            Schema(d, "Thing")["properties"]!.AsObject()["color"] = new JsonObject { ["type"] = "string" };
            Schema(d, "NewThing")["properties"]!.AsObject()["color"] = new JsonObject { ["type"] = "string" };
            Schema(d, "Thing")["properties"]!["note"]!.AsObject().Remove("nullable");
            d["paths"]!["/v1/things/{id}"]!["get"]!["parameters"]!.AsArray().Add(JsonNode.Parse("""{ "name": "expand", "in": "query", "schema": { "type": "string" } }"""));
            d["paths"]!["/v1/things/{id}"]!["get"]!["responses"]!.AsObject()["304"] = new JsonObject();
        });

        Assert.That(changes, Is.Empty);
    }

    [Test]
    public void BreakingChanges_WhenAnOperationIsRemoved_ShouldReportIt()
    {
        var changes = Changes(d => d["paths"]!["/v1/things"]!.AsObject().Remove("post"));

        Assert.That(changes, Is.EqualTo(new[] { "POST /v1/things: operation removed" }));
    }

    [Test]
    public void BreakingChanges_WhenAnOperationIdChanges_ShouldReportTheRename()
    {
        var changes = Changes(d => d["paths"]!["/v1/things/{id}"]!["get"]!["operationId"] = "ReadThing");

        Assert.That(changes, Is.EqualTo(new[] { "GET /v1/things/{id}: operationId GetThing renamed to ReadThing" }));
    }

    [Test]
    public void BreakingChanges_WhenAResponseFieldIsRemoved_ShouldReportItForEveryOperationReturningIt()
    {
        var changes = Changes(d => Schema(d, "Thing")["properties"]!.AsObject().Remove("name"));

        Assert.That(changes, Is.EquivalentTo(new[]
        {
            "GET /v1/things/{id} response 200: field name removed",
            "POST /v1/things response 201: field name removed",
        }));
    }

    [Test]
    public void BreakingChanges_WhenANestedResponseFieldIsRemoved_ShouldReportItsPath()
    {
        var changes = Changes(d => Schema(d, "Owner")["properties"]!.AsObject().Remove("email"));

        Assert.That(changes, Does.Contain("GET /v1/things/{id} response 200.owner: field email removed"));
    }

    [Test]
    public void BreakingChanges_WhenAResponseFieldIsNoLongerAlwaysPresentOrBecomesNullable_ShouldReportBoth()
    {
        var changes = Changes(d =>
        {
            Schema(d, "Thing")["required"] = new JsonArray("id", "owner");
            Schema(d, "Thing")["properties"]!["id"]!["nullable"] = true;
        });

        Assert.That(changes, Does.Contain("GET /v1/things/{id} response 200: field name is no longer always present"));
        Assert.That(changes, Does.Contain("GET /v1/things/{id} response 200: field id became nullable"));
    }

    [Test]
    public void BreakingChanges_WhenASuccessResponseIsRemovedOrRetyped_ShouldReportIt()
    {
        var removed = Changes(d => d["paths"]!["/v1/things"]!["post"]!["responses"]!.AsObject().Remove("201"));
        var retyped = Changes(d => Schema(d, "Thing")["properties"]!["id"]!["type"] = "integer");

        Assert.That(removed, Is.EqualTo(new[] { "POST /v1/things: response 201 removed" }));
        Assert.That(retyped, Does.Contain("GET /v1/things/{id} response 200.id: type changed from string to integer"));
    }

    [Test]
    public void BreakingChanges_WhenARequestFieldBecomesRequired_ShouldReportIt()
    {
        var newField = Changes(d =>
        {
            Schema(d, "NewThing")["properties"]!.AsObject()["size"] = new JsonObject { ["type"] = "integer" };
            Schema(d, "NewThing")["required"] = new JsonArray("name", "size");
        });
        var existingField = Changes(d => Schema(d, "NewThing")["required"] = new JsonArray("name", "note"));

        Assert.That(newField, Is.EqualTo(new[] { "POST /v1/things request: new required field size" }));
        Assert.That(existingField, Is.EqualTo(new[] { "POST /v1/things request: new required field note" }));
    }

    [Test]
    public void BreakingChanges_WhenAnOptionalObjectBecomesRequired_ShouldReportItButNotItsAlreadyRequiredFields()
    {
        var changes = Changes(d => Schema(d, "NewThing")["required"] = new JsonArray("name", "owner"));

        Assert.That(changes, Is.EqualTo(new[] { "POST /v1/things request: new required field owner" }));
    }

    [Test]
    public void BreakingChanges_WhenANewRequiredParameterAppears_ShouldReportIt()
    {
        var changes = Changes(d => d["paths"]!["/v1/things"]!["post"]!["parameters"] =
            JsonNode.Parse("""[ { "name": "If-Match", "in": "header", "required": true, "schema": { "type": "string" } } ]"""));

        Assert.That(changes, Is.EqualTo(new[] { "POST /v1/things: new required parameter header:if-match" }));
    }
}
