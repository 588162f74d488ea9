using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Infrastructure.Idempotency;

namespace PartnerAccounts.Infrastructure.Persistence.Configurations;

public sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("IdempotencyRecords");
        builder.HasKey(r => new { r.Caller, r.Key });
        builder.Property(r => r.Caller).HasMaxLength(FieldLimits.Email + 16);
        builder.Property(r => r.Key).HasMaxLength(IdempotencyRecord.MaxKeyLength);
        builder.Property(r => r.RequestHash).HasMaxLength(64).IsRequired();
        builder.Property(r => r.ContentType).HasMaxLength(128);
        builder.Property(r => r.Location).HasMaxLength(FieldLimits.Url);
        builder.Property(r => r.ETag).HasMaxLength(64);
        builder.Property(r => r.Permission).HasMaxLength(64);
        builder.Property(r => r.SecretKind).HasMaxLength(32);
        builder.HasIndex(r => r.ExpiresAt);
    }
}
