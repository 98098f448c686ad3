"""Demo content for `flask seed-demo`: original, fictional news posts and comments.

All people, organisations and places named here are invented (real cities appear only
as settings). Nothing in this module is quoted from, or attributed to, a real person.
"""

from __future__ import annotations

#: Tags used by the demo posts, as names.
TAGS = ["Climate", "Technology", "Politics", "Science", "Business"]

#: Each post: title, summary (1-2 sentences), tags (names from TAGS, 1-3 of them),
#: body_html (sanitiser-safe HTML: p, h2, h3, blockquote, ul/ol/li, a[href], figure,
#: img[src alt], figcaption, table), hours_ago (float, publication time relative to now)
#: and comments: a list of threads. Each comment is {"by": "reader1" | "reader2" |
#: "moderator" | "author", "body": plain text in readers' comment markup (blank lines
#: separate paragraphs, **bold**, *italic*, bare https URLs), "replies": [same shape]}.
POSTS = [
    {
        "title": "Offshore wind lease auction draws record bids off the Carrow coast",
        "summary": (
            "Five developers competed for three offshore wind sites on Carrow Bank, pushing lease "
            "prices far above forecasts. Analysts warn that rising turbine costs could still slow "
            "construction."
        ),
        "tags": ["Climate", "Business"],
        "hours_ago": 6.5,
        "body_html": (
            "<p>The regional energy authority closed its first offshore wind lease auction on "
            "Tuesday with winning bids totalling 1.9 billion, nearly double what officials had "
            "projected when the sale was announced last spring. Five developers competed for three "
            "sites on Carrow Bank, a broad stretch of seabed about 40 kilometres from the "
            "coast.</p>"
            "<p>Together the three sites could host roughly 2.4 gigawatts of turbines, enough, "
            "according to the authority, to meet the annual electricity needs of about 1.8 million "
            "homes. Construction would not begin before 2028, and each project still needs "
            "environmental and navigation permits.</p>"
            "<h2>Why prices jumped</h2>"
            "<p>Bidders pointed to the area's steady wind speeds and moderate water depths, which "
            "allow fixed-bottom foundations instead of more expensive floating platforms. Grid "
            "access also played a role: a new substation at Port Ellery, approved last year, means "
            "developers will not have to build their own long export cables to reach the onshore "
            "grid.</p>"
            "<blockquote><p>“The auction tells us investors still believe in offshore wind. It "
            "does not tell us the turbines will be built on time,” said Mara Lindqvist, an energy "
            "economist at the Northshore Institute for Public Finance.</p></blockquote>"
            "<p>Lindqvist and other analysts noted that turbine and steel prices have risen "
            "sharply over the past three years. Several wind projects elsewhere have been delayed "
            "or renegotiated after developers said the power prices they had agreed to no longer "
            "covered their costs.</p>"
            "<h2>What happens next</h2>"
            "<ul>"
            "<li>Winning bidders have 90 days to sign lease agreements and pay a first "
            "instalment.</li>"
            "<li>Surveys of seabirds, marine mammals and fish spawning grounds begin this "
            "summer.</li>"
            "<li>The authority will publish a draft timeline for the Port Ellery grid connection "
            "in the autumn.</li>"
            "</ul>"
            "<p>Fishing associations in Carrow Harbour have asked for a seat on the committee that "
            "will plan cable routes and exclusion zones around the turbines. The authority said it "
            "would hold public meetings in the three nearest coastal towns before any permits are "
            "issued. Full results are posted on the "
            "<a href=\"https://energy-authority.example.org/auctions/carrow-bank\">authority’s "
            "auction page</a>.</p>"
        ),
        "comments": [
            {
                "by": "reader1",
                "body": (
                    "Genuinely good news for the region, but I'd like to know how much of that 1.9 "
                    "billion actually flows back to the coastal towns. Last time a lease sale like "
                    "this happened, the money went straight into the general budget and nobody "
                    "here saw a cent of it."
                ),
                "replies": [
                    {
                        "by": "author",
                        "body": (
                            "Fair question. The authority says part of the lease revenue is "
                            "earmarked for a coastal community fund, but the exact share hasn't "
                            "been set yet. We'll follow up once the lease agreements are signed."
                        ),
                        "replies": [
                            {
                                "by": "reader1",
                                "body": (
                                    "Thanks, I'll keep an eye out for that. A percentage in "
                                    "writing would go a long way."
                                ),
                                "replies": [],
                            },
                        ],
                    },
                ],
            },
            {
                "by": "reader2",
                "body": (
                    "Small correction, I think: parts of Carrow Bank are well over 50 metres deep "
                    "according to the public survey maps, so fixed-bottom foundations won't work "
                    "everywhere.\n\n"
                    "https://maps.example.org/surveys/carrow-bank\n\n"
                    "Maybe it only applies to some of the sites?"
                ),
                "replies": [
                    {
                        "by": "author",
                        "body": (
                            "You're right that depth varies a lot across the bank. All three "
                            "leased sites sit in the shallower **northern** section, between "
                            "roughly 25 and 45 metres. We've adjusted the wording to say "
                            "*moderate* depths rather than shallow."
                        ),
                        "replies": [],
                    },
                ],
            },
        ],
    },
    {
        "title": "Grid battery pilot in Harlow Valley trims the evening demand peak",
        "summary": (
            "A six-month trial of a 100 megawatt-hour battery cut gas-fired generation during "
            "evening peaks by about 18 percent on sunny days. The grid operator will decide this "
            "year whether to build more storage."
        ),
        "tags": ["Climate", "Technology"],
        "hours_ago": 30.0,
        "body_html": (
            "<p>A six-month trial of a large battery installation in Harlow Valley has reduced the "
            "region's reliance on gas-fired generators during the evening demand peak, according "
            "to figures released by the local grid operator on Monday.</p>"
            "<p>The battery, built on the site of a former coal depot next to the Harlow "
            "substation, stores 100 megawatt-hours of electricity. It charges in the middle of the "
            "day, when solar output is high and wholesale prices are low, and discharges between 5 "
            "p.m. and 9 p.m., when households return home and demand climbs.</p>"
            "<h2>Results so far</h2>"
            "<p>The operator reported that gas generation during the evening peak fell by about 18 "
            "percent on days when the battery was fully charged, compared with similar days a year "
            "earlier. On cloudy days the effect was smaller, because there was less surplus solar "
            "energy to store.</p>"
            "<table><thead><tr><th>Month</th><th>Average evening discharge (MWh)</th><th>Reduction "
            "in peak gas use</th></tr>"
            "</thead>"
            "<tbody>"
            "<tr><td>March</td><td>61</td><td>11%</td></tr>"
            "<tr><td>May</td><td>84</td><td>17%</td></tr>"
            "<tr><td>July</td><td>92</td><td>21%</td></tr>"
            "</tbody></table>"
            "<p>Engineers say the battery also responds within milliseconds to sudden changes in "
            "grid frequency, a service that previously required keeping a gas turbine spinning in "
            "reserve. That alone saves fuel and lowers emissions, even on days when the stored "
            "energy is modest.</p>"
            "<blockquote><p>“Storage does not replace new wind and solar, it makes them more "
            "useful,” said Tobias Renwick, the operator's head of system planning. “Every "
            "megawatt-hour we move from noon to evening is a megawatt-hour we do not have to burn "
            "gas for.”</p></blockquote>"
            "<h3>Open questions</h3>"
            "<p>Not everyone is convinced the model scales. Consumer groups have asked who will "
            "pay for further batteries, since the pilot was funded partly through a surcharge on "
            "electricity bills. Some residents have also raised concerns about fire safety; the "
            "operator says the site uses lithium iron phosphate cells, which are less prone to "
            "overheating, and that it runs regular joint drills with the regional fire service.</p>"
            "<p>The operator plans to decide by the end of the year whether to build two more "
            "storage sites, one of which could be linked to the planned Port Ellery substation "
            "that will connect new offshore wind farms to the grid.</p>"
        ),
        "comments": [],
    },
    {
        "title": "Insurers turn to AI assistants to speed up claims",
        "summary": (
            "Several mid-sized insurers now use AI language models to sort and summarise claims, "
            "cutting waiting times. Consumer advocates want customers to see what the software "
            "told the human adjuster."
        ),
        "tags": ["Technology", "Business"],
        "hours_ago": 14.25,
        "body_html": (
            "<p>Several mid-sized insurers in the region have begun using artificial intelligence "
            "assistants to sort and summarise incoming claims, a change the companies say is "
            "cutting waiting times but that consumer advocates warn could make decisions harder to "
            "challenge.</p>"
            "<p>The systems are built on large language models, the same kind of AI technology "
            "behind popular chatbots. They read claim forms, photos and repair estimates, flag "
            "missing documents and draft a summary for a human adjuster. At Fairholm Mutual, which "
            "began a pilot in January, the average time to a first response on home insurance "
            "claims fell from nine working days to three, the company said.</p>"
            "<h2>Humans still sign off, companies say</h2>"
            "<p>Insurers stress that the software does not approve or deny claims on its own. “The "
            "model prepares the file; a trained adjuster makes the decision,” said Helena Voss, "
            "Fairholm's chief operating officer. The company says adjusters can override any "
            "suggestion and that every AI-generated summary is stored with the claim.</p>"
            "<p>Consumer groups are not fully reassured. The Policyholders' Advice Network said in "
            "a statement that when a model highlights some details and leaves out others, it can "
            "shape an adjuster's judgment even if a person formally makes the call.</p>"
            "<blockquote><p>“If a customer disputes a decision, they should be able to see exactly "
            "what the machine told the human,” the group said.</p></blockquote>"
            "<h2>What regulators are asking</h2>"
            "<p>The regional financial conduct office has sent questionnaires to insurers asking "
            "them to describe:</p>"
            "<ol>"
            "<li>which steps of the claims process use AI tools;</li>"
            "<li>how the models are tested for errors and bias;</li>"
            "<li>what customers are told about automated processing of their data.</li>"
            "</ol>"
            "<p>Industry analysts expect formal guidance by next spring. Some insurers say clearer "
            "rules would help, because they are unsure how existing requirements to explain "
            "decisions apply to language models that can produce different wording each time they "
            "are asked the same question.</p>"
            "<p>For now, the cost savings are hard to ignore. Fairholm estimates the pilot will "
            "save about 4 million a year in administrative costs once it also covers motor claims, "
            "savings it says could help hold down premiums. Critics counter that the same "
            "efficiency could just as easily be used to cut staff.</p>"
        ),
        "comments": [
            {
                "by": "reader2",
                "body": (
                    "I work in claims handling (not at Fairholm). The summaries are genuinely "
                    "useful for the boring part of the job, chasing missing documents. The worry "
                    "in our office is less about the AI deciding and more about volume targets "
                    "going up because the first step is faster."
                ),
                "replies": [
                    {
                        "by": "reader1",
                        "body": (
                            "That matches what I've heard from friends in banking. The tool saves "
                            "an hour, management books two hours of new work into it."
                        ),
                        "replies": [],
                    },
                ],
            },
            {
                "by": "reader1",
                "body": (
                    "Does anyone know whether customers can actually request the AI summary today? "
                    "The article says it's *stored with the claim*, which isn't the same as being "
                    "shared."
                ),
                "replies": [
                    {
                        "by": "author",
                        "body": (
                            "Fairholm told us customers can ask for their full claim file, and the "
                            "summary is part of it. They don't proactively send it, though, and "
                            "most people wouldn't know to ask."
                        ),
                        "replies": [],
                    },
                ],
            },
        ],
    },
    {
        "title": "Brennford council weighs rules for AI tools in public services",
        "summary": (
            "A draft policy would require every city department to register its AI systems in a "
            "public inventory and assess tools that affect individual residents. The vote comes "
            "just before the municipal election."
        ),
        "tags": ["Technology", "Politics"],
        "hours_ago": 52.0,
        "body_html": (
            "<p>Brennford city council will vote next month on a policy that would set the first "
            "formal rules for how municipal departments use artificial intelligence tools, from "
            "chatbots on the city website to software that helps schedule road repairs.</p>"
            "<p>The draft, published on Thursday, would require every department to register its "
            "AI systems in a public inventory, explain in plain language what each tool does and "
            "name a staff member responsible for it. Tools that influence decisions about "
            "individual residents, such as benefit applications or housing allocations, would need "
            "an impact assessment before they are used.</p>"
            "<h2>Why now</h2>"
            "<p>Council staff say at least eleven AI tools are already in use across city "
            "departments, most of them added during the past two years with little central "
            "oversight. An internal review found that some departments could not say which company "
            "supplied the underlying language model or where residents' data was processed.</p>"
            "<blockquote><p>“We are not trying to ban anything. We are trying to know what we are "
            "running,” said councillor Dana Okafor, who chairs the digital services "
            "committee.</p></blockquote>"
            "<h2>Points of disagreement</h2>"
            "<p>The draft has drawn criticism from two directions. Some councillors argue the "
            "impact assessments will slow down useful projects and add cost for a city already "
            "under budget pressure. Civil liberties groups say the rules do not go far enough, "
            "because they allow tools that affect residents to stay in use while a review is still "
            "underway.</p>"
            "<ul>"
            "<li>Supporters want the inventory published online before the policy takes "
            "effect.</li>"
            "<li>Members of the finance committee have asked for an estimate of the staff time "
            "required.</li>"
            "<li>Residents' associations want a public comment period of at least 60 days.</li>"
            "</ul>"
            "<p>The debate mirrors discussions in insurance and banking, where regulators are "
            "asking companies to explain how AI systems shape decisions about customers. Unlike "
            "private firms, however, the city is bound by public records law, which advocates say "
            "should give residents a right to see the instructions and data behind any automated "
            "system.</p>"
            "<p>The vote is scheduled for the council's final session before the municipal "
            "election, and candidates in several wards have said they will campaign on the issue. "
            "The draft policy is available on the "
            "<a href=\"https://brennford.example.gov/council/ai-policy-draft\">council's "
            "consultation page</a>.</p>"
        ),
        "comments": [
            {
                "by": "reader1",
                "body": (
                    "Eleven tools and nobody could say where the data goes? That alone is reason "
                    "enough to pass this. I'd be curious which departments those were."
                ),
                "replies": [
                    {
                        "by": "reader2",
                        "body": (
                            "The internal review is linked from the consultation page if you "
                            "scroll down. Mostly parks and waste collection, as far as I can tell, "
                            "using scheduling software. Not exactly sinister, but still worth "
                            "knowing."
                        ),
                        "replies": [],
                    },
                ],
            },
            {
                "by": "reader2",
                "body": (
                    "I'm sympathetic to the finance committee here. An impact assessment for a "
                    "chatbot that answers \"when is bin day\" seems like overkill. Can't the rules "
                    "scale with risk?"
                ),
                "replies": [
                    {
                        "by": "author",
                        "body": (
                            "They do, to a degree: under the draft, only tools that influence "
                            "decisions about individual residents need a full assessment. A "
                            "general information chatbot would just go into the inventory. We "
                            "could have made that clearer."
                        ),
                        "replies": [],
                    },
                ],
            },
        ],
    },
    {
        "title": "Early voting lifts turnout in Brennford municipal election",
        "summary": (
            "Turnout reached 46 percent, the highest in more than twenty years, after the city "
            "added weekend early voting. No group won a majority on the 35-seat council."
        ),
        "tags": ["Politics"],
        "hours_ago": 3.5,
        "body_html": (
            "<p>Turnout in Brennford's municipal election reached 46 percent, the highest in more "
            "than two decades, after the city expanded early voting to two weekends and opened "
            "polling stations in libraries and community centres.</p>"
            "<p>Election officials said about a third of all ballots were cast before election "
            "day. Queues at some polling stations on Sunday evening still stretched for more than "
            "an hour, particularly in the fast-growing Eastgate and Millbrook wards, where new "
            "housing has added thousands of registered voters since the last election.</p>"
            "<h2>Results at a glance</h2>"
            "<table><thead><tr><th>Group</th><th>Seats</th><th>Change</th></tr>"
            "</thead>"
            "<tbody>"
            "<tr><td>Civic Alliance</td><td>14</td><td>+3</td></tr>"
            "<tr><td>Brennford First</td><td>11</td><td>−2</td></tr>"
            "<tr><td>Green Coalition</td><td>6</td><td>+1</td></tr>"
            "<tr><td>Independents</td><td>4</td><td>−2</td></tr>"
            "</tbody></table>"
            "<p>No group won an outright majority on the 35-seat council. The Civic Alliance, "
            "which campaigned on housing and transit, will need the support of at least four other "
            "councillors to elect a mayor from its ranks.</p>"
            "<h2>Why turnout rose</h2>"
            "<p>Researchers at the civic studies centre of Brennford University said expanded "
            "early voting was probably the biggest factor, but not the only one. Contested local "
            "issues, including rent increases, a proposed bus rapid transit line and the council's "
            "draft rules on AI tools in public services, drew unusually large crowds to candidate "
            "debates.</p>"
            "<blockquote><p>“When people can vote on a Saturday morning on their way to the "
            "market, they do,” said Lena Marsh, the centre's director. “But they also need a "
            "reason to show up, and this year there were several.”</p></blockquote>"
            "<p>Turnout remained uneven. In two central wards fewer than a third of registered "
            "voters cast a ballot, and officials said they would review whether polling station "
            "locations there should change before the next election.</p>"
            "<p>Coalition talks begin this week. The new council's first major task will be the "
            "city budget, which must be approved before the end of the financial year and will "
            "depend partly on how much money the provincial government sets aside for municipal "
            "transit and housing.</p>"
        ),
        "comments": [
            {
                "by": "reader2",
                "body": (
                    "Voted early at the Millbrook library for the first time. Took ten minutes on "
                    "a Saturday. On election day in the last cycle I gave up after forty. **Keep "
                    "the weekend voting**, please."
                ),
                "replies": [],
            },
            {
                "by": "reader1",
                "body": (
                    "Is the 46 percent measured against registered voters or the eligible "
                    "population? Those can be quite different in a city with this much new housing."
                ),
                "replies": [
                    {
                        "by": "moderator",
                        "body": (
                            "Per the city elections office, it's ballots cast as a share of "
                            "registered voters. Their full breakdown by ward is here:\n\n"
                            "https://brennford.example.gov/elections/results"
                        ),
                        "replies": [],
                    },
                ],
            },
        ],
    },
    {
        "title": "Provincial budget shifts spending toward transit and housing",
        "summary": (
            "The provincial budget adds 1.2 billion for municipal transit and creates a land fund "
            "for non-profit housing, while delaying two highway projects. The opposition questions "
            "its revenue forecasts."
        ),
        "tags": ["Politics", "Business"],
        "hours_ago": 75.0,
        "body_html": (
            "<p>The provincial government presented a budget on Wednesday that increases spending "
            "on public transit and affordable housing while trimming administrative costs and "
            "postponing two highway projects.</p>"
            "<p>Finance minister Elsa Varga told the legislature the plan would keep the deficit "
            "below 2 percent of provincial output next year and balance the books within four "
            "years, assuming moderate economic growth and stable interest rates.</p>"
            "<h2>Key measures</h2>"
            "<ul>"
            "<li>1.2 billion over four years for municipal transit, including bus rapid transit "
            "lines in Brennford and two other cities;</li>"
            "<li>a new fund to help non-profit builders buy land for affordable rental "
            "housing;</li>"
            "<li>a hiring freeze in central ministries, excluding health care and education;</li>"
            "<li>postponement of the Route 9 widening and the Westmoor bypass.</li>"
            "</ul>"
            "<p>Business groups gave the budget a mixed reception. The provincial construction "
            "association welcomed the housing fund but said slow permitting, not a lack of land, "
            "is the main reason projects stall. The chamber of commerce criticised the absence of "
            "tax relief for small businesses, which it says are still absorbing higher energy and "
            "borrowing costs.</p>"
            "<blockquote><p>“This is a budget that bets on cities,” said Rafael Osterholm, an "
            "economist at the Centre for Regional Economics. “Whether that bet pays off depends on "
            "how fast municipalities can turn money into buses and homes.”</p></blockquote>"
            "<h2>Opposition response</h2>"
            "<p>Opposition members said the deficit target relies on optimistic revenue forecasts "
            "and warned that a slowdown could force deeper cuts later. Rural legislators were "
            "particularly critical of the highway delays, arguing that the budget favours urban "
            "voters at the expense of communities that depend on roads for freight and "
            "commuting.</p>"
            "<p>For municipalities, the transit money comes with conditions. Cities must cover a "
            "quarter of project costs themselves, which puts pressure on councils such as "
            "Brennford's, where a newly elected council must now draft its own budget around the "
            "provincial plan.</p>"
            "<p>The legislature will debate the budget for three weeks, with a final vote expected "
            "early next month. The full budget documents are published on the "
            "<a href=\"https://finance.example.gov/budget\">finance ministry's website</a>.</p>"
        ),
        "comments": [
            {
                "by": "reader1",
                "body": (
                    "The 25 percent local match is the part nobody is talking about. Brennford's "
                    "capital budget is already stretched. Where does the city find its share "
                    "without raising property taxes?"
                ),
                "replies": [
                    {
                        "by": "reader2",
                        "body": (
                            "Some cities have used development charges on new housing near transit "
                            "stations to cover the match. It's not painless, but it's not the "
                            "property tax either."
                        ),
                        "replies": [],
                    },
                ],
            },
            {
                "by": "reader2",
                "body": (
                    "I live out past Westmoor. The bypass has been \"coming soon\" for about "
                    "fifteen years. I get that transit matters, but the traffic through the "
                    "village centre is genuinely dangerous."
                ),
                "replies": [
                    {
                        "by": "moderator",
                        "body": (
                            "Thanks for sharing. For readers following the bypass: the ministry "
                            "describes it as postponed by *at least two years*, and it stays in "
                            "the provincial infrastructure plan. As always, please keep replies "
                            "focused on the policy rather than on other commenters."
                        ),
                        "replies": [],
                    },
                ],
            },
        ],
    },
    {
        "title": "Kestrel-2 lunar lander passes final tests ahead of launch",
        "summary": (
            "Engineers completed vibration and thermal vacuum testing of the Kestrel-2 lander, "
            "which will search for water ice near the Moon's south pole. Launch is planned for the "
            "next lunar window."
        ),
        "tags": ["Science", "Technology"],
        "hours_ago": 290.0,
        "body_html": (
            "<p>The Kestrel-2 lunar lander has completed its final round of ground tests and will "
            "be shipped to the launch site next week, the Meridian Space Agency said on Friday. If "
            "the schedule holds, the robotic spacecraft will lift off during the next launch "
            "window and land near the Moon's south pole about five days later.</p>"
            "<p>The mission's main goal is to study water ice in permanently shadowed craters, "
            "regions that have not seen sunlight for billions of years. Scientists believe that "
            "ice could one day supply drinking water, oxygen and rocket fuel for crewed missions, "
            "but no spacecraft has yet measured it directly on the surface.</p>"
            "<h2>Weeks in a vacuum chamber</h2>"
            "<p>In the final campaign, engineers shook the lander on a vibration table to simulate "
            "the violence of launch, then sealed it in a thermal vacuum chamber where temperatures "
            "swung from minus 170 to plus 110 degrees Celsius. The lander's batteries, radio and "
            "landing radar all performed within specification, the agency said.</p>"
            "<blockquote><p>“The Moon does not give second chances, so we try to break everything "
            "on the ground first,” said Ines Moravec, the mission's lead systems "
            "engineer.</p></blockquote>"
            "<h2>Instruments on board</h2>"
            "<ul>"
            "<li>a neutron spectrometer to detect hydrogen, a tell-tale sign of water, beneath the "
            "surface;</li>"
            "<li>a small drill that can reach one metre into the regolith;</li>"
            "<li>a stereo camera and a mass spectrometer to analyse gases released from heated "
            "soil samples;</li>"
            "<li>a laser reflector that will remain usable long after the mission ends.</li>"
            "</ul>"
            "<p>The landing site sits on the rim of a crater, where the lander can draw power from "
            "near-constant sunlight while its drill and spectrometer study the shadowed ground a "
            "few hundred metres away. The trade-off is terrain: boulders and steep slopes make the "
            "final descent one of the riskiest parts of the mission.</p>"
            "<p>Kestrel-2 follows an earlier lander that tipped over on touchdown three years ago. "
            "Engineers have since added a wider landing frame and a hazard-avoidance camera that "
            "can steer the spacecraft away from rocks in the final seconds of its descent.</p>"
        ),
        "comments": [],
    },
    {
        "title": "Kestrel-2 lands near the lunar south pole and sends first images",
        "summary": (
            "The Kestrel-2 lander touched down upright on a crater rim near the Moon's south pole "
            "and returned its first panoramic images. Drilling for water ice is expected to begin "
            "within days."
        ),
        "tags": ["Science"],
        "hours_ago": 20.0,
        "body_html": (
            "<p>The Kestrel-2 lunar lander touched down on the rim of a crater near the Moon's "
            "south pole early on Thursday, the Meridian Space Agency confirmed, ending a tense "
            "12-minute descent that mission controllers followed in near silence.</p>"
            "<p>Telemetry showed the spacecraft landed upright and within 300 metres of its "
            "target, a significant improvement over its predecessor, which tipped over on "
            "touchdown three years ago. Its solar panels deployed within the first hour, and the "
            "batteries are charging normally.</p>"
            "<figure>"
            "<img src=\"https://images.example.org/kestrel-2/first-panorama.jpg\""
            " alt=\"Grey, boulder-strewn lunar landscape under low sunlight, with the edge of a "
            "dark crater in the distance\"><figcaption>Part of the first panorama returned by the "
            "Kestrel-2 stereo camera. The dark region at the horizon is the permanently shadowed "
            "crater floor. Image: Meridian Space Agency.</figcaption></figure>"
            "<h2>A careful first week</h2>"
            "<p>Before any drilling begins, the team will check every instrument and take a full "
            "set of images of the surrounding terrain. The hazard-avoidance camera, added after "
            "the earlier failure, steered the lander about 40 metres sideways during the final "
            "seconds of descent to avoid a field of boulders.</p>"
            "<blockquote><p>“We saw the lander change course on its own and everyone in the room "
            "stopped breathing,” said Ines Moravec, the mission's lead systems engineer. “That "
            "manoeuvre is exactly why we rebuilt the landing system.”</p></blockquote>"
            "<h2>Searching for water ice</h2>"
            "<p>The mission's neutron spectrometer has already begun collecting data, and early "
            "readings suggest elevated hydrogen levels in the soil near the landing site. "
            "Scientists cautioned that hydrogen can come from sources other than water ice and "
            "said firm conclusions will have to wait for drill samples.</p>"
            "<p>The lander has about 14 Earth days of sunlight before the long lunar night begins, "
            "when temperatures will plunge far below the range the batteries were designed for. "
            "The team hopes to complete at least three drilling cycles in that time. Raw images "
            "are being released daily on the "
            "<a href=\"https://meridian-space.example.org/kestrel-2/images\">mission's image "
            "archive</a>.</p>"
        ),
        "comments": [
            {
                "by": "reader1",
                "body": (
                    "That hazard-avoidance manoeuvre is the real story for me. Forty metres "
                    "sideways in the last few seconds, done autonomously, with a two-and-a-half "
                    "second round trip to Earth. Beautiful engineering."
                ),
                "replies": [
                    {
                        "by": "reader2",
                        "body": (
                            "Agreed. Worth remembering that the earlier lander didn't have that "
                            "camera at all, which is partly why it ended up on its side."
                        ),
                        "replies": [],
                    },
                ],
            },
            {
                "by": "reader2",
                "body": (
                    "Why can't it survive the lunar night? Other landers have used small heaters "
                    "to get through it.\n\n"
                    "Not a criticism, just curious about the design trade-offs."
                ),
                "replies": [
                    {
                        "by": "author",
                        "body": (
                            "According to the agency, nuclear heater units were ruled out early on "
                            "because of cost and launch licensing. The team chose to fit more "
                            "instruments instead and accept a mission of about two weeks. They "
                            "haven't ruled out trying to wake it up after the night, but they say "
                            "the odds are low."
                        ),
                        "replies": [],
                    },
                ],
            },
            {
                "by": "reader1",
                "body": (
                    "Minor thing: the caption calls the crater floor \"permanently shadowed\", but "
                    "the article says the drill studies ground \"a few hundred metres away\". Is "
                    "the drill actually reaching into the shadowed region, or just the rim?"
                ),
                "replies": [],
            },
        ],
    },
    {
        "title": "Alpine glacier survey led from Zürich finds faster summer melt",
        "summary": (
            "A survey of 42 Alpine glaciers coordinated by a Zürich research institute found they "
            "lost ice about 30 percent faster in the past five summers than in the previous "
            "decade. Hydropower operators are watching closely."
        ),
        "tags": ["Climate", "Science"],
        "hours_ago": 110.5,
        "body_html": (
            "<p>Glaciers across the central Alps lost ice roughly 30 percent faster during the "
            "past five summers than in the decade before, according to a survey coordinated by the "
            "Alpine Cryosphere Institute in Zürich and published this week.</p>"
            "<p>Researchers measured 42 glaciers using a combination of ground-penetrating radar, "
            "drone photography and stakes drilled into the ice, which show how much surface melts "
            "each season. The results were cross-checked against satellite data on ice surface "
            "height.</p>"
            "<h2>Less snow, darker ice</h2>"
            "<p>The scientists point to two main drivers. Summer temperatures at high altitude "
            "have risen, and winter snow cover has become thinner and shorter-lived. When fresh "
            "snow disappears early, older and darker ice is exposed to the sun and absorbs more "
            "heat, which speeds up melting further.</p>"
            "<blockquote><p>“A thin winter is almost worse than a hot summer, because it removes "
            "the glacier's protective layer,” said Annika Brühlmann, a glaciologist at the "
            "institute and one of the study's authors.</p></blockquote>"
            "<p>Smaller glaciers below 3,000 metres were hit hardest. Six of the surveyed glaciers "
            "have split into separate fragments since the previous measurement campaign, and the "
            "researchers expect several more to stop flowing entirely within the next two "
            "decades.</p>"
            "<h2>Why it matters downstream</h2>"
            "<ul>"
            "<li>Glacier meltwater supplies a large share of late-summer river flow in dry "
            "years.</li>"
            "<li>Hydropower reservoirs rely on that flow to generate electricity in autumn.</li>"
            "<li>Rapid melt can destabilise slopes and raise the risk of rockfall and flash "
            "floods.</li>"
            "</ul>"
            "<p>Hydropower operators have started adjusting their planning, the report notes. In "
            "the short term, faster melt actually increases water flow, but once glaciers shrink "
            "past a certain point, summer runoff will decline. Energy planners in the region are "
            "already modelling how much additional storage, wind and solar capacity would be "
            "needed to compensate.</p>"
            "<p>The institute has made its measurements available in an open data set, and the "
            "full report can be read on the "
            "<a href=\"https://alpine-cryosphere.example.ch/reports/glacier-survey\">institute's "
            "website</a>.</p>"
        ),
        "comments": [
            {
                "by": "reader1",
                "body": (
                    "The point about thin winters is something I hadn't understood before. So even "
                    "a cool summer after a dry winter can be a bad year for the glacier?"
                ),
                "replies": [
                    {
                        "by": "reader2",
                        "body": (
                            "Yes, that's my understanding as a (hobby) mountaineer. The snow layer "
                            "reflects most of the sunlight; bare ice absorbs much more. You can "
                            "literally see the difference on the ice in August."
                        ),
                        "replies": [],
                    },
                ],
            },
            {
                "by": "reader2",
                "body": (
                    "Would be great to link the open data set directly. I found it here for anyone "
                    "interested:\n\n"
                    "https://data.alpine-cryosphere.example.ch/glaciers\n\n"
                    "The per-glacier stake measurements are in the second file."
                ),
                "replies": [],
            },
        ],
    },
    {
        "title": "Freight rates ease as congestion clears at Port Ellery",
        "summary": (
            "Container ships now wait less than a day to berth at Port Ellery, down from almost a "
            "week in the winter. Importers expect lower shipping costs to reach shop shelves "
            "slowly."
        ),
        "tags": ["Business"],
        "hours_ago": 160.0,
        "body_html": (
            "<p>Container ships arriving at Port Ellery now wait an average of 19 hours for a "
            "berth, down from nearly six days in January, according to figures published by the "
            "port authority on Monday. The improvement has helped push down freight rates on the "
            "region's busiest shipping routes.</p>"
            "<p>The backlog built up over the winter after storms closed the harbour for several "
            "days and a labour dispute slowed unloading. Since then, the port has extended "
            "operating hours, added two new cranes and reopened a storage yard that had been "
            "closed for repairs.</p>"
            "<h2>Cheaper containers, slower prices</h2>"
            "<p>The spot price for shipping a standard 40-foot container from the main Asian "
            "export hubs to Port Ellery has fallen by about a third since March, according to "
            "freight brokers. Longer-term contracts, which cover most of the goods that reach "
            "supermarket and hardware store shelves, are adjusting more slowly.</p>"
            "<blockquote><p>“Importers locked in contracts during the peak, so consumers will not "
            "see the full benefit until those come up for renewal,” said Colm Harrow, who runs a "
            "freight forwarding firm in the port district.</p></blockquote>"
            "<p>Retailers said lower shipping costs would help offset other pressures, including "
            "higher wages and energy prices. A spokesperson for the regional retail association "
            "said members expected prices for furniture and household electronics to stabilise in "
            "the second half of the year, but warned against expecting outright price cuts.</p>"
            "<h2>Room to grow</h2>"
            "<p>The port authority is also preparing for new types of traffic. Part of the "
            "southern quay has been set aside as a staging area for offshore wind components, with "
            "turbine blades and foundations for the Carrow Bank projects expected to pass through "
            "the port from 2028. A new substation being built nearby will connect those wind farms "
            "to the grid.</p>"
            "<ul>"
            "<li><strong>Average berth wait:</strong> 19 hours (January: 5.8 days)</li>"
            "<li><strong>Containers handled last quarter:</strong> 412,000</li>"
            "<li><strong>Ships arriving within their scheduled window:</strong> 78 percent</li>"
            "</ul>"
            "<p>Port officials cautioned that shipping remains vulnerable to storms and "
            "disruptions elsewhere in global trade, and said they would publish congestion figures "
            "monthly from now on.</p>"
        ),
        "comments": [],
    },
    {
        "title": "Volunteer-built flood warning app goes city-wide in Riverton",
        "summary": (
            "An open-source app that combines river gauges with rainfall forecasts will now send "
            "flood alerts to all of Riverton. Built by volunteers after the storms of two years "
            "ago, it is being adopted by the city."
        ),
        "tags": ["Technology", "Climate"],
        "hours_ago": 200.0,
        "body_html": (
            "<p>A flood warning app built by a group of volunteer programmers after the storms "
            "that hit Riverton two years ago will be rolled out to the entire city this month, the "
            "municipal emergency management office said on Wednesday.</p>"
            "<p>The app, called <em>RiverWatch</em>, combines readings from river gauges with "
            "rainfall forecasts from the national weather service to estimate how high the water "
            "will rise in each neighbourhood over the next 24 hours. Residents who register their "
            "address receive a push notification or text message when their street is at risk.</p>"
            "<h2>From hackathon to public service</h2>"
            "<p>The project started at a weekend hackathon organised by the public library a few "
            "weeks after the floods, when residents complained that official warnings had arrived "
            "too late and covered too wide an area to be useful. A pilot in the three lowest-lying "
            "districts last winter signed up about 9,000 households.</p>"
            "<blockquote><p>“We wanted a warning that says ‘your street, in the next six hours’, "
            "not ‘the region, sometime tomorrow’,” said Yusuf Adeyemi, one of the volunteers who "
            "wrote the original code.</p></blockquote>"
            "<p>The emergency management office tested the app's predictions against historical "
            "flood data before agreeing to take it on. Officials said the forecasts were accurate "
            "to within about 20 centimetres in most past events, though the model struggles with "
            "sudden downpours on small streams.</p>"
            "<h2>Open source, public funding</h2>"
            "<p>The code remains open source, and other towns along the river have asked to use "
            "it. The city will fund two staff positions to maintain the app and its servers, with "
            "the volunteers continuing to contribute improvements.</p>"
            "<ul>"
            "<li>Alerts are available in five languages.</li>"
            "<li>Residents without smartphones can sign up for text or voice calls.</li>"
            "<li>Location data is stored only at street level, not by household.</li>"
            "</ul>"
            "<p>The rollout comes as provincial lawmakers debate how much to spend on physical "
            "flood defences. Supporters of the app stress that warnings do <em>not</em> replace "
            "levees and pumping stations, but they can buy residents precious time to move cars, "
            "belongings and people out of harm's way. More information is available on the "
            "<a href=\"https://riverton.example.gov/riverwatch\">city's RiverWatch page</a>.</p>"
        ),
        "comments": [],
    },
    {
        "title": "Lawmakers split over flood defence funding after spring storms",
        "summary": (
            "After spring storms flooded hundreds of homes along the Tarrow river, provincial "
            "lawmakers are divided over a proposed 600 million flood defence programme and how to "
            "pay for it."
        ),
        "tags": ["Politics", "Climate"],
        "hours_ago": 130.0,
        "body_html": (
            "<p>Provincial lawmakers opened debate on Tuesday over a proposed 600 million "
            "programme to strengthen flood defences along the Tarrow river, weeks after spring "
            "storms flooded hundreds of homes in Riverton and several smaller towns downstream.</p>"
            "<p>The plan would raise and reinforce about 40 kilometres of levees, build three new "
            "pumping stations and restore wetlands upstream that can absorb heavy rainfall before "
            "it reaches populated areas. It was not included in the recent provincial budget, and "
            "the government has yet to say how it would be funded.</p>"
            "<h2>Who pays</h2>"
            "<p>The finance ministry has floated several options, including borrowing, a temporary "
            "levy on property insurance policies, and redirecting part of the money set aside for "
            "transit. Each has drawn opposition. Insurers warn that a levy would raise premiums in "
            "exactly the areas where homeowners are already struggling, while city councils have "
            "said they will resist any cut to transit funding.</p>"
            "<blockquote><p>“Every year we delay, the storms get stronger and the repairs get more "
            "expensive,” said Marguerite Solberg, a legislator from a riverside district. “The "
            "cheapest flood is the one we prevent.”</p></blockquote>"
            "<h2>Concrete or wetlands?</h2>"
            "<p>Engineers and environmental groups broadly agree that the plan needs both hard "
            "infrastructure and natural flood management, but disagree on the balance. Restoring "
            "wetlands is slower and requires buying farmland, which has met resistance from some "
            "landowners. Levees offer faster protection but can push water downstream onto "
            "communities that are not protected.</p>"
            "<ul>"
            "<li>Levee work: about 380 million over six years</li>"
            "<li>Pumping stations: about 120 million</li>"
            "<li>Wetland restoration and land purchases: about 100 million</li>"
            "</ul>"
            "<p>Climate scientists at the provincial university have estimated that heavy rainfall "
            "events in the Tarrow basin have become roughly 15 percent more intense since the "
            "1980s, a trend they expect to continue. Some lawmakers argued the programme should be "
            "designed for those future conditions rather than past floods.</p>"
            "<p>A committee vote is expected before the summer recess. Meanwhile, Riverton is "
            "expanding its volunteer-built flood warning app city-wide, which officials describe "
            "as a stopgap rather than a substitute for new defences.</p>"
        ),
        "comments": [
            {
                "by": "reader1",
                "body": (
                    "A levy on insurance policies is about the worst possible option. The people "
                    "paying it would be the same people who just got flooded."
                ),
                "replies": [
                    {
                        "by": "reader2",
                        "body": (
                            "I'm not sure that follows. The levy as proposed would apply to all "
                            "property policies in the province, not just the flood zone. Spread "
                            "across everyone, it's a small amount per household."
                        ),
                        "replies": [
                            {
                                "by": "reader1",
                                "body": (
                                    "Fair point, I'd missed that it was province-wide. I still "
                                    "think borrowing is the more honest way to pay for something "
                                    "that lasts fifty years."
                                ),
                                "replies": [],
                            },
                        ],
                    },
                ],
            },
            {
                "by": "reader2",
                "body": (
                    "Good to see wetlands in the plan. Upstream restoration worked well in a "
                    "couple of other river basins, although it took about a decade before the "
                    "benefits really showed.\n\n"
                    "The key is buying land while it's still affordable."
                ),
                "replies": [],
            },
        ],
    },
]
