## How this language writes figures (read once by essor; not sentences on their own).
## French typography: a narrow no-break space (U+202F) between groups of thousands and a
## no-break space (U+00A0) before a unit, so that a figure is never split across lines.

figure-decimal-separator = ,
figure-money-group-separator = {"\u202F"}
figure-number-group-separator = {"\u202F"}
figure-money = { $value }{"\u00A0"}€
figure-percent = { $value }{"\u00A0"}%
figure-fte = { $value }{"\u00A0"}ETP
figure-date = { $day }/{ $month }/{ $year }
