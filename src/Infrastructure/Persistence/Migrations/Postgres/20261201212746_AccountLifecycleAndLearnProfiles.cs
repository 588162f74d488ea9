using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PartnerAccounts.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AccountLifecycleAndLearnProfiles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "StatusChangedAt",
                table: "Accounts",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            // Accounts that existed before statuses could change have been in theirs since they were created.
            migrationBuilder.Sql("UPDATE \"Accounts\" SET \"StatusChangedAt\" = \"CreatedAt\";");

            migrationBuilder.AddColumn<string>(
                name: "StatusReason",
                table: "Accounts",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "LearnProfiles",
                columns: table => new
                {
                    NormalizedEmail = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    TranscriptUrl = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    LinkedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LearnProfiles", x => x.NormalizedEmail);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditRecords_OccurredAt",
                table: "AuditRecords",
                column: "OccurredAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LearnProfiles");

            migrationBuilder.DropIndex(
                name: "IX_AuditRecords_OccurredAt",
                table: "AuditRecords");

            migrationBuilder.DropColumn(
                name: "StatusChangedAt",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "StatusReason",
                table: "Accounts");
        }
    }
}
