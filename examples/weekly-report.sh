#!/usr/bin/env bash
# Write last week's KPI report as Markdown to reports/YYYY-Www.md in a CRM
# repository, and commit it.
#
#   examples/weekly-report.sh [CRM_REPO_DIR]
#
# The repository is the argument, else $CRM_REPO, else the current directory.
# $CRM is the command that runs crm (default: crm). "Last week" is the last
# full ISO week (Monday to Sunday) before today in crm.yaml's time zone, so
# run it on Monday morning, e.g. from cron:
#   15 7 * * 1  cd ~/acme-crm && ~/crm/examples/weekly-report.sh
# Running it again later rewrites the same file, and commits only if the
# figures changed. See examples/crm-repo/.github/workflows/weekly-report.yml
# for the same as a scheduled CI job.
set -euo pipefail

repo="${1:-${CRM_REPO:-.}}"
crm="${CRM:-crm}"
cd "$repo"

# The week's first day, from crm itself (it knows the time zone), then its ISO week label.
from=$($crm report kpi --period last-week --format json | node -e '
  let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).from));')
week=$(node -e '
  const d = new Date(process.argv[1] + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + 4 - (d.getUTCDay() || 7));            // the Thursday decides the ISO year
  const y = d.getUTCFullYear();
  const w = Math.ceil(((d - Date.UTC(y, 0, 1)) / 864e5 + 1) / 7);
  console.log(`${y}-W${String(w).padStart(2, "0")}`);' "$from")

mkdir -p reports
file="reports/$week.md"
$crm report kpi --period "$week" --compare previous --format md > "$file.tmp"
# Lines 1-3 are the heading and the "as of" line, which changes with every run:
# keep the committed file when the figures are the same.
if [ -f "$file" ] && diff -q <(sed 1,3d "$file") <(sed 1,3d "$file.tmp") > /dev/null; then
  rm -f "$file.tmp"
else
  mv "$file.tmp" "$file"
fi

git add -- "$file"
if git diff --cached --quiet -- "$file"; then
  echo "$file is up to date; nothing to commit." >&2
else
  git commit --quiet -m "reports: weekly KPI report $week" -- "$file"
  echo "Wrote and committed $file." >&2
fi
