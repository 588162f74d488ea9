using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>
/// The API never hands out or takes in a domain type: on every endpoint the host maps, what the handler returns, what it
/// declares it produces and accepts, and its parameters are contracts (or framework and Application types), walked
/// through their properties and generic arguments. A domain type in a response would put its shape (and its private
/// state's names) into the contract, so a refactoring of the domain would break clients.
/// </summary>
public sealed class EndpointContractTests : ApiTest
{
    private static readonly Assembly Domain = typeof(PartnerAccounts.Domain.Common.Error).Assembly;

    [Test]
    public void Endpoints_ShouldNeverReturnOrAcceptADomainType()
    {
        var endpoints = Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<MethodInfo>() is not null)
            .ToList();
        Assert.That(endpoints, Has.Count.GreaterThan(50), "the host's endpoints are found");

        Assert.Multiple(() =>
        {
            foreach (var endpoint in endpoints)
            {
                Assert.That(DomainTypesIn(ContractTypesOf(endpoint)), Is.Empty, $"{endpoint.DisplayName} ({endpoint.RoutePattern.RawText})");
            }
        });
    }

    [Test]
    public void DomainTypesIn_WhenAContractHoldsADomainTypeDeepDown_ShouldReportIt() =>
        Assert.That(DomainTypesIn([typeof(Task<IReadOnlyList<LeakyResponse>>)]),
            Does.Contain(typeof(PartnerAccounts.Domain.Accounts.Address).FullName), "the walk must reach a property of an element of a task's list");

    private static IEnumerable<Type> ContractTypesOf(RouteEndpoint endpoint)
    {
        var handler = endpoint.Metadata.GetMetadata<MethodInfo>()!;
        yield return handler.ReturnType;
        foreach (var parameter in handler.GetParameters())
        {
            yield return parameter.ParameterType;
        }

        foreach (var produces in endpoint.Metadata.OfType<IProducesResponseTypeMetadata>())
        {
            if (produces.Type is { } type)
            {
                yield return type;
            }
        }

        foreach (var accepts in endpoint.Metadata.OfType<IAcceptsMetadata>())
        {
            if (accepts.RequestType is { } type)
            {
                yield return type;
            }
        }
    }

    private static List<string?> DomainTypesIn(IEnumerable<Type> roots)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>(roots);
        while (pending.TryPop(out var type))
        {
            if (!seen.Add(type))
            {
                continue;
            }

            if (type.HasElementType)
            {
                pending.Push(type.GetElementType()!);
            }

            foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
            {
                pending.Push(argument);
            }

            // Our own types are walked through what they expose; framework types only through their generic arguments.
            if (type.Assembly.GetName().Name?.StartsWith("PartnerAccounts.", StringComparison.Ordinal) == true && type.Assembly != Domain)
            {
                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                {
                    pending.Push(property.PropertyType);
                }
            }
        }

        return [.. seen.Where(t => t.Assembly == Domain).Select(t => t.FullName).Order(StringComparer.Ordinal)];
    }

    public sealed record LeakyResponse(string Name, LeakyPart Part);

    public sealed record LeakyPart(PartnerAccounts.Domain.Accounts.Address Address);
}
