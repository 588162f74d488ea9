using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Domain.Audit;
using PartnerAccounts.Tests.Http;

namespace PartnerAccounts.Tests.Infrastructure;

/// <summary>Reads the audit records of an account straight from the test database, for changes whose audit entry a test pins.</summary>
public static class AuditLog
{
    public static async Task<IReadOnlyList<AuditRecord>> ReadAsync(Guid accountId, string resource)
    {
        using var scope = TestHost.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<IAppDbContext>();
        return await db.AuditRecords.AsNoTracking()
            .Where(r => r.AccountId == accountId && r.Resource == resource)
            .OrderBy(r => r.Id)
            .ToListAsync();
    }
}
