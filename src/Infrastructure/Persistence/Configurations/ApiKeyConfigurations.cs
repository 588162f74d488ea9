using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.ApiKeys;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Infrastructure.Caching;

namespace PartnerAccounts.Infrastructure.Persistence.Configurations;

public sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("ApiKeys");
        builder.HasKey(k => k.Id);
        builder.HasOne<Account>().WithMany().HasForeignKey(k => k.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(k => new { k.AccountId, k.CreatedAt });
        builder.Property(k => k.Name).HasMaxLength(FieldLimits.ApiKeyName).IsRequired();
        builder.Property(k => k.Prefix).HasMaxLength(ApiKeySecret.PrefixLength).IsRequired();
        builder.HasIndex(k => k.Prefix).IsUnique();
        builder.HasIndex(k => new { k.AccountId, k.Slot }).IsUnique();
        builder.Property(k => k.SecretHash).HasMaxLength(ApiKeySecret.HashLength).IsRequired();
        builder.Property(k => k.CreatedBy).HasMaxLength(FieldLimits.Email).IsRequired();
    }
}

public sealed class CacheChangeConfiguration : IEntityTypeConfiguration<CacheChange>
{
    public void Configure(EntityTypeBuilder<CacheChange> builder)
    {
        builder.ToTable("CacheChanges");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedOnAdd();
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.Key).HasMaxLength(64);
        builder.HasIndex(c => c.CreatedAt);
    }
}
