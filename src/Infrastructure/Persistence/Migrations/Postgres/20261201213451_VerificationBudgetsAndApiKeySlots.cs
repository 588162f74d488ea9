using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PartnerAccounts.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class VerificationBudgetsAndApiKeySlots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Slot",
                table: "ApiKeys",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "VerificationBudgets",
                columns: table => new
                {
                    Key = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Window = table.Column<long>(type: "bigint", nullable: false),
                    Hits = table.Column<int>(type: "integer", nullable: false),
                    Misses = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VerificationBudgets", x => new { x.Key, x.Window });
                });

            // Existing keys take the places 1, 2, ... of their account in creation order (an account that already had more
            // than 25 keeps them, above 25, and creates no more until it is below the limit again).
            migrationBuilder.Sql(
                """
                UPDATE "ApiKeys" SET "Slot" = (
                    SELECT COUNT(*) FROM "ApiKeys" AS o
                    WHERE o."AccountId" = "ApiKeys"."AccountId"
                      AND (o."CreatedAt" < "ApiKeys"."CreatedAt" OR (o."CreatedAt" = "ApiKeys"."CreatedAt" AND o."Id" <= "ApiKeys"."Id")))
                """);

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_AccountId_Slot",
                table: "ApiKeys",
                columns: new[] { "AccountId", "Slot" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_VerificationBudgets_Window",
                table: "VerificationBudgets",
                column: "Window");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "VerificationBudgets");

            migrationBuilder.DropIndex(
                name: "IX_ApiKeys_AccountId_Slot",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "Slot",
                table: "ApiKeys");
        }
    }
}
