namespace PartnerAccounts.Api.OpenApi;

/// <summary>
/// Marks an endpoint that accepts an API key (<c>X-Api-Key</c>) as well as a bearer token. The OpenAPI document then lists
/// both schemes as alternatives on that operation (<c>security: [{apiKey: []}, {bearer: []}]</c>); other operations list
/// bearer only, and anonymous ones (<c>.AllowAnonymous()</c>) none. It documents, it does not authenticate:
/// add it with <c>.WithMetadata(new ApiKeyAuthAttribute())</c> next to the authentication that accepts the key.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, Inherited = false)]
public sealed class ApiKeyAuthAttribute : Attribute;

/// <summary>
/// Marks an endpoint that answers without the database (a fixed catalogue), so it keeps working during a database outage and
/// its OpenAPI operation lists no 503. Add it with <see cref="OpenApiMetadataExtensions.AnswersWithoutDatabase{TBuilder}"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, Inherited = false)]
public sealed class AnswersWithoutDatabaseAttribute : Attribute;

/// <summary>A response header an operation documents beyond what <see cref="OpenApiConventions"/> infers (or, with
/// <see cref="Sent"/> false, one it must not document although the rules would infer it).</summary>
public sealed record OpenApiResponseHeader(int Status, string Name, bool Sent = true);

public static class OpenApiMetadataExtensions
{
    /// <summary>Documents a response header the endpoint sends with <paramref name="status"/> that the rules do not infer.</summary>
    public static TBuilder WithResponseHeader<TBuilder>(this TBuilder builder, int status, string name)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new OpenApiResponseHeader(status, name));

    /// <summary>Removes an inferred response header the endpoint does not send (for example a 201 without <c>Location</c>).</summary>
    public static TBuilder WithoutResponseHeader<TBuilder>(this TBuilder builder, int status, string name)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new OpenApiResponseHeader(status, name, Sent: false));

    /// <summary>The endpoint answers without the database: no 503 in its OpenAPI operation (see <see cref="AnswersWithoutDatabaseAttribute"/>).</summary>
    public static TBuilder AnswersWithoutDatabase<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AnswersWithoutDatabaseAttribute());
}
