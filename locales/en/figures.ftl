## How this language writes figures (read once by essor; not sentences on their own).
## Amounts grouped by commas, other figures not grouped, ISO 8601 dates.

figure-decimal-separator = .
figure-money-group-separator = ,
figure-number-group-separator = {""}
figure-money = €{ $value }
figure-percent = { $value } %
figure-fte = { $value } FTE
figure-date = { $year }-{ $month }-{ $day }
