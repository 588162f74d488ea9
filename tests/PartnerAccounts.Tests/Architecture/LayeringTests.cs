using System.Reflection;

namespace PartnerAccounts.Tests.Architecture;

/// <summary>The folder tree is the architecture: Domain references nothing of ours, Application only Domain, Infrastructure never the API.</summary>
public sealed class LayeringTests
{
    private static readonly Assembly Domain = typeof(PartnerAccounts.Domain.Common.Error).Assembly;
    private static readonly Assembly Application = typeof(PartnerAccounts.Application.DependencyInjection).Assembly;
    private static readonly Assembly Infrastructure = typeof(PartnerAccounts.Infrastructure.DependencyInjection).Assembly;

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

    private static List<string?> OurReferences(Assembly assembly) =>
        [.. assembly.GetReferencedAssemblies().Select(a => a.Name).Where(n => n is not null && n.StartsWith("PartnerAccounts.", StringComparison.Ordinal))];
}
