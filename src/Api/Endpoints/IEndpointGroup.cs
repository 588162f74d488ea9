using System.Reflection;

namespace PartnerAccounts.Api.Endpoints;

/// <summary>One resource's endpoints. Every implementation in this assembly is mapped onto the versioned route group.</summary>
public interface IEndpointGroup
{
    void Map(IEndpointRouteBuilder v1);
}

public static class EndpointGroups
{
    public static void MapEndpointGroups(this IEndpointRouteBuilder v1)
    {
        var groups = typeof(IEndpointGroup).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.IsAssignableTo(typeof(IEndpointGroup)))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        foreach (var type in groups)
        {
            ((IEndpointGroup)Activator.CreateInstance(type)!).Map(v1);
        }
    }

    /// <summary>Declares the problem statuses an endpoint can answer with, so the OpenAPI document lists them.</summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
        {
            builder.ProducesProblem(status);
        }

        return builder;
    }
}
