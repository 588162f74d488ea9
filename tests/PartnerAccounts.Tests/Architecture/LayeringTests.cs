using System.Reflection;

namespace PartnerAccounts.Tests.Architecture;

/// <summary>
/// The folder tree is the architecture: Domain references nothing of ours, Application only Domain, Infrastructure never
/// the API, and the API's endpoints use no Infrastructure type. That endpoints never return or accept a domain type is
/// checked on the running host's endpoints (<see cref="Http.EndpointContractTests"/>).
/// </summary>
public sealed class LayeringTests
{
    private static readonly Assembly Domain = typeof(PartnerAccounts.Domain.Common.Error).Assembly;
    private static readonly Assembly Application = typeof(PartnerAccounts.Application.DependencyInjection).Assembly;
    private static readonly Assembly Infrastructure = typeof(PartnerAccounts.Infrastructure.DependencyInjection).Assembly;
    private static readonly Assembly Api = typeof(Program).Assembly;

    [Test]
    public void Domain_ShouldReferenceNoProjectOfOurs() =>
        Assert.That(OurReferences(Domain), Is.Empty);

    [Test]
    public void Domain_ShouldReferenceNoFrameworkForPersistenceOrWeb() =>
        Assert.That(Domain.GetReferencedAssemblies().Select(a => a.Name), Has.None.StartsWith("Microsoft.EntityFrameworkCore").And.None.StartsWith("Microsoft.AspNetCore"));

    [Test]
    public void Application_ShouldReferenceOnlyDomain() =>
        Assert.That(OurReferences(Application), Is.EquivalentTo(new[] { "PartnerAccounts.Domain" }));

    [Test]
    public void Application_ShouldNotReferenceAspNetCoreOrAProvider() =>
        Assert.That(Application.GetReferencedAssemblies().Select(a => a.Name),
            Has.None.StartsWith("Microsoft.AspNetCore").And.None.StartsWith("Microsoft.EntityFrameworkCore.Sqlite").And.None.StartsWith("Npgsql"));

    [Test]
    public void Infrastructure_ShouldNotReferenceTheApi() =>
        Assert.That(OurReferences(Infrastructure), Is.SubsetOf(new[] { "PartnerAccounts.Domain", "PartnerAccounts.Application" }));

    [Test]
    public void OurReferences_WhenAnAssemblyReferencesAnotherLayer_ShouldReportIt() =>
        Assert.That(OurReferences(typeof(Program).Assembly), Does.Contain("PartnerAccounts.Infrastructure"), "the check must see references when they exist");

    [Test]
    public void Endpoints_ShouldUseNoInfrastructureType()
    {
        var endpoints = Api.GetTypes().Where(t => t.Namespace?.StartsWith("PartnerAccounts.Api.Endpoints", StringComparison.Ordinal) == true && !t.IsNested).ToList();
        Assert.That(endpoints, Has.Count.GreaterThan(10), "the endpoint groups are found");
        Assert.Multiple(() =>
        {
            foreach (var endpoint in endpoints)
            {
                Assert.That(InfrastructureTypesUsedBy(endpoint), Is.Empty, $"{endpoint.FullName} uses Infrastructure: go through a use case (Application) instead");
            }
        });
    }

    [Test]
    public void InfrastructureTypesUsedBy_WhenATypeCallsInfrastructure_ShouldReportIt() =>
        Assert.That(InfrastructureTypesUsedBy(typeof(PartnerAccounts.Api.Http.ProblemExceptionHandler)),
            Does.Contain(typeof(PartnerAccounts.Infrastructure.Persistence.DatabaseFailures).FullName), "the check must see a call in a method body (an async one, at that)");

    private static List<string?> InfrastructureTypesUsedBy(Type type) =>
        [.. TypeReferences.Of(type).Where(t => t.Assembly == Infrastructure).Select(t => t.FullName).Order(StringComparer.Ordinal)];

    private static List<string?> OurReferences(Assembly assembly) =>
        [.. assembly.GetReferencedAssemblies().Select(a => a.Name).Where(n => n is not null && n.StartsWith("PartnerAccounts.", StringComparison.Ordinal))];
}
